"""Content-level tests: what must hold for ANY valid content, run on the editors' records.

Each test runs on two projects (tests/conftest.py), both copies of the project checked and built
with the documented commands as CI runs them:

* ``cases``: a snapshot of cases/ as the editors left it;
* ``cases + generated`` (the growth test): the same records plus ``GROWTH`` valid records made by
  ``casebook generate`` (ids growth-…) in the province folders of cases/ — adding valid cases must
  never turn CI red.

Nothing here names a case, counts pages or expects a search answer: those are behaviour, tested on
the frozen records of tests/corpus (docs-notes/tests.md). What is checked: ``casebook check``
passes, the strict build succeeds and gives every record its page in both languages, every internal
link resolves, no page asks for anything outside the site (statically, and in Chromium for a
sample of pages), no record text becomes markup, the downloads hold every published record
(JSON, CSV, the figures' CSV, the feed) and every page of both languages is at most 30 KB.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from casebook.export import FEED_SIZE, csv_record_text

from .conftest import GROWTH, GROWTH_PREFIX, ContentProject
from .test_site import all_pages, parse, target

MAX_PAGE = 30 * 1024  # bytes, every HTML page of both languages


@pytest.fixture(params=["content_project", "grown_project"], ids=["cases", "cases+generated"])
def project(request) -> ContentProject:
    return request.getfixturevalue(request.param)


def records(project: ContentProject) -> dict[str, dict]:
    """Every record of the project's cases/ (the snapshot the site was built from), by id."""
    out = {}
    for f in sorted(project.cases.rglob("*.y*ml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        out[data["id"]] = data
    return out


def published(project: ContentProject) -> dict[str, dict]:
    return {k: v for k, v in records(project).items() if v.get("status", "published") == "published"}


# --- check and build ----------------------------------------------------------------------------


def test_check_passes(project):
    check = project.steps["check"]
    assert check.returncode == 0, str(check)


def test_growth_adds_generated_records(grown_project, content_project):
    generate = grown_project.steps["generate"]
    assert generate.returncode == 0, str(generate)
    added = set(records(grown_project)) - set(records(content_project))
    assert len(added) == GROWTH and all(i.startswith(GROWTH_PREFIX + "-") for i in added)
    assert not list(grown_project.cases.glob("*.yaml"))  # in the province folders, as editors add them


def test_strict_build_gives_every_record_its_pages(project):
    site = project.site  # the build (check → strict MkDocs → search index) succeeded
    missing = [
        f"{lang}cases/{cid}.html"
        for cid in records(project)
        for lang in ("", "en/")
        if not (site / f"{lang}cases/{cid}.html").is_file()
    ]
    assert missing == []
    assert (site / "search/index.json").is_file() and (site / "en/search/index.json").is_file()


# --- links and requests -------------------------------------------------------------------------


def test_every_internal_link_resolves(project):
    site = project.site
    broken = []
    anchors: dict[Path, set[str]] = {}
    for page in all_pages(site):
        parsed = parse(page)
        anchors[page.resolve()] = parsed.ids
        for href in parsed.links + parsed.resources:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto") or href.startswith("data:"):
                continue
            dest = page.resolve() if not parts.path else target(page, href, site)
            if parts.path and not dest.exists():
                broken.append(f"{page.relative_to(site)} → {href}")
                continue
            if parts.fragment and dest.suffix == ".html":
                ids = anchors.get(dest) if dest in anchors else parse(dest).ids
                anchors[dest] = ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} → {href} (no anchor)")
    assert broken == []


def test_no_page_loads_anything_from_outside(project):
    site = project.site
    outside = []
    for page in all_pages(site):
        for res in parse(page).resources:
            if res.startswith("data:"):  # inline, nothing is requested
                continue
            if urlsplit(res).scheme or res.startswith("//"):
                outside.append(f"{page.relative_to(site)}: {res}")
    assert outside == []
    css = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def sample_pages(project: ContentProject) -> list[str]:
    """The home, case list and search pages and three case pages spread over the ids (one of them
    generated, in the grown project), in both languages; the 404 page."""
    ids = sorted(records(project))
    picked = ids[:: max(1, len(ids) // 3)][:3]
    if project.name != "cases" and not any(i.startswith(GROWTH_PREFIX + "-") for i in picked):
        picked[-1] = next(i for i in ids if i.startswith(GROWTH_PREFIX + "-"))
    pages = ["index.html", "cases/index.html", "search/index.html", *(f"cases/{cid}.html" for cid in picked)]
    return ["404.html"] + [lang + p for lang in ("", "en/") for p in pages]


def test_sample_of_pages_makes_no_outside_request_in_chromium(project, page, serve):
    base = serve(project.site)
    for path in sample_pages(project):
        page.goto(base + path, wait_until="networkidle")
        assert page.locator("h1").first.inner_text().strip(), path
    assert page.outside_requests == []
    assert page.failed_requests == []
    assert page.console_errors == []


# --- escaping -----------------------------------------------------------------------------------

BAD_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "template"}
MD_SCOPE = re.compile(r'new URL\("[./]*",location\)')  # the only part of Material's inline script that varies


class Markup(HTMLParser):
    """Every script (its src, or its text), every tag name, event-handler attributes and
    javascript: URLs of one page."""

    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.tags: set[str] = set()
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self._script: tuple[dict, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.handlers.append(f"<{tag} {k}>")
            if v and re.sub(r"[\s\x00-\x1f]", "", v).lower().startswith(("javascript:", "vbscript:")):
                self.js_urls.append(f"<{tag} {k}={v[:40]}>")
            if k == "http-equiv" and v and v.lower() == "refresh":
                self.handlers.append("<meta http-equiv=refresh>")
        if tag == "script":
            self._script = (a, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def markup(path: Path) -> Markup:
    m = Markup()
    m.feed(path.read_text(encoding="utf-8"))
    m.close()
    return m


def own_inline_scripts(site: Path) -> set[str]:
    """The inline scripts of the search page and the 404 page, which no record reaches (Material's
    and the 404 page's own), their base evened out."""
    pages = ("search/index.html", "404.html")
    return {MD_SCOPE.sub("", text) for page in pages for a, text in markup(site / page).scripts if not a}


def test_record_text_never_becomes_markup(project):
    """Every page parses; its scripts are the site's own (files under assets/, Material's inline
    scripts, the JSON configuration); no event handler, javascript: URL or embedding tag."""
    site = project.site
    own = own_inline_scripts(site)
    assert own
    problems = []
    for page in all_pages(site):
        rel = page.relative_to(site).as_posix()
        m = markup(page)
        for attrs, text in m.scripts:
            if attrs.get("src"):
                dest = target(page, attrs["src"], site)
                generated_labels = dest == (site / "data" / "pack-ui.js").resolve()  # from ui.yaml, no record text
                if urlsplit(attrs["src"]).scheme or not (
                    dest.is_relative_to((site / "assets").resolve()) or generated_labels
                ):
                    problems.append(f"{rel}: script {attrs['src']}")
            elif attrs == {"id": "__config", "type": "application/json"}:
                json.loads(text)
            elif attrs or MD_SCOPE.sub("", text) not in own:
                problems.append(f"{rel}: inline script {attrs} {text[:60]!r}")
        problems += [f"{rel}: {h}" for h in m.handlers + m.js_urls]
        problems += [f"{rel}: <{t}>" for t in sorted(m.tags & BAD_TAGS)]
    assert problems == []


class H1Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.nested: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "h1":
            self.nested.append(tag)

    def handle_data(self, data):
        self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts) if not self.nested else f"<{'><'.join(self.nested)}> in the heading"


def test_titles_are_text_on_their_pages(project):
    """A record's title is the text of its page's <h1> (the first one), character for character."""
    site = project.site
    wrong = []
    for cid, data in records(project).items():
        html = (site / "cases" / f"{cid}.html").read_text(encoding="utf-8")
        m = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        heading = H1Text()
        heading.feed(m.group(0) if m else "")
        if heading.text().strip() != data["title"].strip():
            wrong.append(f"{cid}: {heading.text()[:60]!r}")
    assert wrong == []


# --- downloads ----------------------------------------------------------------------------------


def csv_rows(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))


def test_exports_round_trip(project):
    site = project.site
    want = published(project)
    data = json.loads((site / "data/cases.json").read_text(encoding="utf-8"))
    assert data["count"] == len(data["cases"]) == len(want)
    by_id = {c["id"]: c for c in data["cases"]}
    assert sorted(by_id) == sorted(want)
    assert [cid for cid, c in by_id.items() if c["title"] != want[cid]["title"]] == []
    assert [cid for cid, c in by_id.items() if len(c["numbers"]) != len(want[cid].get("numbers") or [])] == []
    assert all((site / c["url"]).is_file() for c in data["cases"])

    rows = csv_rows(site / "data/cases.csv")
    assert [r["id"] for r in rows] == sorted(want)
    assert [r["id"] for r in rows if csv_record_text(r["title"]) != want[r["id"]]["title"]] == []
    assert [r["id"] for r in rows if int(r["numbers"]) != len(by_id[r["id"]]["numbers"])] == []

    figures = csv_rows(site / "data/numbers.csv")
    assert len(figures) == sum(len(c["numbers"]) for c in data["cases"])
    per_case: dict[str, int] = {}
    for r in figures:
        per_case[r["case_id"]] = per_case.get(r["case_id"], 0) + 1
    assert per_case == {cid: len(c["numbers"]) for cid, c in by_id.items() if c["numbers"]}

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "data/feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == min(FEED_SIZE, len(want))
    for e in entries:
        href = e.find(f"{atom}link").get("href")
        assert (site / "data" / href).resolve().is_file(), href


# --- sizes --------------------------------------------------------------------------------------


def test_every_page_is_at_most_30_kb(project):
    site = project.site
    over = sorted(
        ((p.stat().st_size, p.relative_to(site).as_posix()) for p in all_pages(site) if p.stat().st_size > MAX_PAGE),
        reverse=True,
    )
    assert over == [], f"{len(over)} pages over {MAX_PAGE:,} bytes: " + ", ".join(f"{n} ({s:,} B)" for s, n in over)
