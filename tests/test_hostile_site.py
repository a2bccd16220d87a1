"""Record text that tries to become markup in the parts of a page the theme prints from front matter.

Material prints ``page.meta.title``, ``page.meta.description`` and nav titles with autoescape off
(``<title>``, ``<meta name="description">``, the header, the nav, the footer), so the front matter
holds each value HTML-escaped exactly once (casebook.render.meta_json, docs-notes/escaping.md).
A site is built from the fixture records with hostile titles and summaries (and a case page put in
the nav, so nav and footer show record text); each place must show the record text exactly, and a
summary written as a ``http-equiv="refresh"`` attribute must not send the visitor away.
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from casebook.benchmarks import project_copy
from casebook.export import CASE_NUMERIC, NUMBER_NUMERIC, csv_record_text
from casebook.render import meta_json

from .conftest import FIXTURES, build_site

REFRESH = '0;url=https://example.org/" http-equiv="refresh'
EN_SUMMARY = REFRESH + " &lt;script&gt; & 1 < 2 'x'"
TITLE = "扶风“三家” \"q\" & 1 < 2 > 0 &lt;script&gt; 'x' &amp;"
EN_TITLE = 'Fufeng "q" & 1 < 2 &lt;script&gt;'
SOURCE_TITLE = '测试报道二 " & < 3 &lt;script&gt;'
CASE = "cases/fx-fufeng-sanjia.html"
FORMULA_TITLE = '=HYPERLINK("https://example.org/?x="&A1,"点此")'
FORMULA_SUBJECT = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_SUMMARY = "-2+3+cmd|' /C calc'!A0"


def _edit(path: Path, change) -> None:
    """Change a copied fixture record (copied as it is now, so it follows the record format)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _hostile_case(data: dict) -> None:
    data["title"] = TITLE
    data["summary"] = REFRESH
    data["en"]["title"] = EN_TITLE
    data["en"]["summary"] = EN_SUMMARY


def _formulas(data: dict) -> None:
    data["title"] = FORMULA_TITLE
    data["summary"] = FORMULA_SUMMARY
    data["numbers"][0]["subject"] = FORMULA_SUBJECT


def _hostile_source(data: dict) -> None:
    for s in data["sources"]:
        if s["title"] == "测试报道二":
            s["title"] = SOURCE_TITLE


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    cases = tmp / "cases"
    shutil.copytree(FIXTURES / "cases", cases)
    _edit(cases / "shaanxi/fx-fufeng-sanjia.yaml", _hostile_case)
    _edit(cases / "guizhou/fx-longli-drivers-home.yaml", _formulas)
    for f in ("beijing/fx-changping.yaml", "beijing/fx-tiantongyuan.yaml"):
        _edit(cases / f, _hostile_source)
    out = tmp / "site"
    work = project_copy(tmp / "site-project")  # build_site builds in this copy; its nav gets the case
    config = work / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - sources/index.md\n" in text
    config.write_text(text.replace("  - sources/index.md\n", "  - sources/index.md\n  - cases/fx-fufeng-sanjia.md\n"))
    proc = build_site(cases, out, search=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


class Page(HTMLParser):
    """The parts of a built page the theme fills from front matter, as a browser would read them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.metas: list[dict] = []
        self.title = ""
        self.header_topic = ""
        self.links: list[tuple[dict, str]] = []  # (attributes, text) of every <a>
        self.tags: list[tuple[str, dict]] = []
        self._in: list[str] = []
        self._depth_topic: int | None = None
        self._a: list[tuple[dict, list[str]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "meta":
            self.metas.append(a)
            return
        if tag in ("link", "input", "img", "br", "hr"):
            return
        self._in.append(tag)
        if a.get("data-md-component") == "header-topic":
            self._depth_topic = len(self._in)
        if tag == "a":
            self._a.append((a, []))

    def handle_endtag(self, tag):
        if tag == "a" and self._a:
            a, text = self._a.pop()
            self.links.append((a, "".join(text).strip()))
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if self._depth_topic is not None and len(self._in) < self._depth_topic:
            self._depth_topic = None

    def handle_data(self, data):
        if self._in and self._in[-1] == "title":
            self.title += data
        if self._depth_topic is not None:
            self.header_topic += data
        for _, text in self._a:
            text.append(data)


def read(site: Path, path: str) -> Page:
    return Page((site / path).read_text(encoding="utf-8"))


def description(p: Page) -> str:
    found = [m for m in p.metas if m.get("name") == "description"]
    assert len(found) == 1, found
    assert set(found[0]) == {"name", "content"}, found[0]  # no attribute smuggled in
    return found[0]["content"]


# --- the filter ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [REFRESH, TITLE, "&lt;script&gt;", "a\x85b\u2028c\u2029d\x7f\x9f\ufeffe\n\t\x01", "😀 中文 ' \""],
)
def test_meta_json_is_yaml_holding_the_text_escaped_once(text):
    value = yaml.safe_load(f"title: {meta_json(text)}\n")["title"]
    assert html.unescape(value) == text
    assert not any(c in value for c in "<>\"'")  # safe in element text and in a quoted attribute
    assert value == str(html.escape(text, quote=True)).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


# --- the built pages -------------------------------------------------------------------------------


LANGS = [(CASE, TITLE, REFRESH), ("en/" + CASE, EN_TITLE, EN_SUMMARY)]


@pytest.mark.parametrize(("path", "title", "summary"), LANGS)
def test_front_matter_shows_the_record_text(hostile_site, path, title, summary):
    p = read(hostile_site, path)
    assert not any("http-equiv" in a for _, a in p.tags)
    assert description(p) == summary
    assert p.title.startswith(title + " - "), p.title
    assert p.header_topic.strip() == title
    nav = [
        t for a, t in p.links if "md-nav__link" in a.get("class", "") and a["href"].endswith("fx-fufeng-sanjia.html")
    ]
    assert nav and set(nav) == {title}, nav  # the page's own entry in the nav


def test_nav_and_footer_show_the_record_text(hostile_site):
    p = read(hostile_site, "sources/index.html")
    nav = [
        t for a, t in p.links if "md-nav__link" in a.get("class", "") and a["href"].endswith("fx-fufeng-sanjia.html")
    ]
    assert nav and set(nav) == {TITLE}, nav
    nxt = [(a, t) for a, t in p.links if "md-footer__link--next" in a.get("class", "")]
    assert len(nxt) == 1
    attrs, text = nxt[0]
    assert attrs["aria-label"].endswith(": " + TITLE), attrs["aria-label"]
    assert text.endswith(TITLE)
    back = read(hostile_site, CASE)
    prev = [a for a, _ in back.links if "md-footer__link--prev" in a.get("class", "")]
    assert prev and not any(c in prev[0]["aria-label"] for c in "&<>")


def test_shared_source_page_title(hostile_site):
    pages = [
        read(hostile_site, p.relative_to(hostile_site).as_posix())
        for p in (hostile_site / "sources").glob("s-*.html")
        if "-figures" not in p.name  # the source's figures view carries its title too
    ]
    titled = [p for p in pages if p.title.startswith(SOURCE_TITLE)]
    assert len(titled) == 1, [p.title for p in pages]
    assert titled[0].header_topic.strip() == SOURCE_TITLE


# --- the downloads ---------------------------------------------------------------------------------

CSVS = {"data/cases.csv": CASE_NUMERIC, "data/numbers.csv": NUMBER_NUMERIC}


def test_formulas_are_inert_in_every_csv_we_offer(hostile_site):
    offered = {p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.csv")}
    assert offered == set(CSVS)  # a new table must be added here (and follow docs-notes/escaping.md)
    cells: list[str] = []
    for name, numeric in CSVS.items():
        text = (hostile_site / name).read_bytes().decode("utf-8-sig")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            for column, cell in row.items():
                if column not in numeric:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, column, cell)
                    cells.append(csv_record_text(cell))
    assert FORMULA_TITLE in cells and FORMULA_SUMMARY in cells and FORMULA_SUBJECT in cells
    assert TITLE in cells  # the other hostile text, as typed


# --- in the browser --------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "title", "summary"), LANGS)
def test_hostile_summary_does_not_redirect(hostile_site, serve, page, path, title, summary):
    base = serve(hostile_site)
    navigations: list[str] = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else None)
    page.goto(base + path, wait_until="load")
    page.wait_for_timeout(1500)  # a refresh of 0 seconds would have happened by now
    assert page.url == base + path
    assert navigations == [base + path]
    assert not [u for u in page.outside_requests if "example.org" in u]
    got = page.evaluate(
        """() => ({
            title: document.title,
            description: [...document.querySelectorAll('meta[name=description]')].map(m => m.getAttribute('content')),
            refresh: document.querySelectorAll('meta[http-equiv]').length,
            topic: document.querySelector('[data-md-component=header-topic] .md-ellipsis').textContent.trim(),
        })"""
    )
    assert got["description"] == [summary]
    assert got["refresh"] == 0
    assert got["title"].startswith(title + " - ")
    assert got["topic"] == title
    assert page.console_errors == []


def test_nav_title_in_the_browser(hostile_site, serve, page):
    base = serve(hostile_site)
    page.goto(base + "sources/index.html", wait_until="load")
    link = page.locator(".md-footer__link--next")
    assert link.get_attribute("aria-label").endswith(": " + TITLE)
    nav = page.locator('.md-nav__link[href$="fx-fufeng-sanjia.html"]').first
    assert nav.text_content().strip() == TITLE


# --- every page this milestone adds (figures views, charts, meeting pack, field guide, search data) --


def test_no_page_or_data_file_carries_the_hostile_text_unescaped(hostile_site):
    """The hostile records reach listings, figures views and their charts, the pack page and the
    search data: nowhere does their text become markup (raw ``http-equiv``, a decoded ``<script>``, an
    attribute broken out of its quotes)."""
    raw = ['http-equiv="refresh"', "<script>", '" http-equiv', "&lt;script&gt; & 1 < 2"]
    pages = sorted(hostile_site.rglob("*.html")) + sorted(hostile_site.rglob("*.svg"))
    assert any("-figures" in p.name for p in pages), "the figures views were not built"
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        found += [f"{page.relative_to(hostile_site)}: {r}" for r in raw if r in text and r != "<script>"]
        # a <script> the record wrote would show as its text right after the tag
        if "<script>alert" in text or "<script>&" in text:
            found.append(f"{page.relative_to(hostile_site)}: <script> from a record")
    for data in sorted((hostile_site / "search").rglob("*.json")):
        json.loads(data.read_text(encoding="utf-8"))  # record text stays inside JSON strings
    assert found == []
