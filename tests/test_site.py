"""The built site (fixture cases and the frozen corpus): cross-links, counts, breadcrumbs, figures,
citations, escaping, sizes of case pages, reproducibility, and a failed build that leaves the old site
alone. What must hold for the editors' records in cases/ (links, outside requests, sizes of every
page, strictness) is tested in test_content.py."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import CORPUS, FIXTURES, build_site, digest


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.resources: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for key in ("src",):
            if a.get(key):
                self.resources.append(a[key])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.resources.append(a["href"])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def text_of(path: Path) -> str:
    return re.sub(r"\s+", " ", "".join(parse(path).text))


def target(page: Path, href: str, site: Path | None = None) -> Path:
    path = unquote(urlsplit(href).path)
    if path.startswith("/") and site is not None:  # 404.html uses root-absolute URLs
        return (site / path.lstrip("/")).resolve()
    return (page.parent / path).resolve()


def links_from(site: Path, page: str) -> set[str]:
    """Site-relative targets of every internal link on ``page``."""
    path = site / page
    out = set()
    for href in parse(path).links:
        if urlsplit(href).scheme or href.startswith("#"):
            continue
        out.add(target(path, href).relative_to(site.resolve()).as_posix())
    return out


# --- fixture site: structure ---------------------------------------------------------------------


def test_case_links_to_every_index_and_back(fixture_site):
    case = "cases/fx-longli-drivers-home.html"
    out = links_from(fixture_site, case)
    expected = {
        "regions/index.html",
        "regions/520000.html",
        "regions/522700.html",
        "regions/522730.html",
        "groups/truck-drivers.html",
        "groups/couriers.html",
        "topics/service-stations.html",
        "topics/mobile-party-members.html",
        "themes/new-employment-groups.html",
        "years/2022.html",
        "models/drivers-home.html",
    }
    assert expected <= out
    for index in expected - {"regions/index.html"}:
        assert case in links_from(fixture_site, index), f"{index} does not link back to the case"
    # a source cited by several cases has its own page, linked both ways
    shared = "cases/fx-changping.html"
    source_pages = [
        p for p in links_from(fixture_site, shared) if p.startswith("sources/") and p != "sources/index.html"
    ]
    assert len(source_pages) == 2
    for sp in source_pages:
        assert shared in links_from(fixture_site, sp)
    assert any("cases/fx-tiantongyuan.html" in links_from(fixture_site, sp) for sp in source_pages)
    # every source is listed in the source index, a single-case one linking to its case
    assert {source_pages[0], case} <= links_from(fixture_site, "sources/index.html")


def test_index_pages_link_to_their_terms(fixture_site):
    assert "groups/truck-drivers.html" in links_from(fixture_site, "groups/index.html")
    assert "topics/service-stations.html" in links_from(fixture_site, "topics/index.html")
    assert "models/drivers-home.html" in links_from(fixture_site, "models/index.html")
    assert "years/2022.html" in links_from(fixture_site, "years/index.html")
    assert "themes/new-employment-groups.html" in links_from(fixture_site, "themes/index.html")


def test_region_tree_counts_and_breadcrumb(fixture_site):
    tree = text_of(fixture_site / "regions/index.html")
    # 北京市: 昌平区 (1 case) + 天通苑北街道 (1) = 2; 陕西省 1 (the withdrawn case is not counted).
    # The index lists provinces only (its size must not grow with the content); cities and counties
    # are on the province's page.
    assert re.search(r"北京市 2 ", tree) and re.search(r"陕西省 1 ", tree)
    assert "昌平区" not in tree and "天通苑北街道" not in tree
    assert "regions/110114.html" in links_from(fixture_site, "regions/110000.html")
    assert "regions/110114008.html" in links_from(fixture_site, "regions/110114.html")
    assert re.search(r"宝鸡市.*扶风县.*1", text_of(fixture_site / "regions/610000.html"))
    town = fixture_site / "regions/110114008.html"
    crumbs = links_from(fixture_site, "regions/110114008.html")
    assert {"regions/index.html", "regions/110000.html", "regions/110114.html"} <= crumbs
    assert "cases/fx-tiantongyuan.html" in crumbs
    assert "1 个案例" in text_of(town)


def test_figures_show_value_wording_and_change(fixture_site):
    text = text_of(fixture_site / "cases/fx-longli-drivers-home.html")
    # Chinese magnitudes and qualifier words as printed (casebook/casepage.py; tests/test_case_page.py)
    assert "2000余亩" in text and "> 2,000" not in text
    assert "12万名" in text and "120,000" not in text
    change = text_of(fixture_site / "cases/fx-tiantongyuan.html")
    assert "7～8分钟 → 1分多钟" in change
    assert "原文“从七八分钟减少到一分多钟”" in change


def test_citations_mark_inferred_parts(fixture_site):
    text = text_of(fixture_site / "cases/fx-changping.html")
    assert "《测试报道二》，（报刊名未印出），[2022年]。" in text
    assert "《测试简报》，测试发文单位，第21期，2022年12月6日。" in text


def test_figures_name_their_source_when_several(fixture_site):
    html = (fixture_site / "cases/fx-changping.html").read_text(encoding="utf-8")
    assert re.search(r">18个</td><td><a href=\"#source-a\">\[1\]</a>", html)
    assert re.search(r">700多名</td><td><a href=\"#source-b\">\[2\]</a>", html)


def test_related_cases_explicit_first(fixture_site):
    html = (fixture_site / "cases/fx-changping.html").read_text(encoding="utf-8")
    related = html.split('class="cb-related"')[1]
    first = re.search(r'href="([^"]+)"', related).group(1)
    assert first == "fx-tiantongyuan.html"
    assert "属于" in related.split("</li>")[0]


def test_markdown_syntax_in_a_record_shows_literally(fixture_site):
    html = (fixture_site / "cases/fx-longli-drivers-home.html").read_text(encoding="utf-8")
    text = text_of(fixture_site / "cases/fx-longli-drivers-home.html")
    assert "Markdown 字符原样显示：^0^ \\(x\\) {{ x }} **x** # x a<b [x](y) `code` ~~s~~" in text
    summary = html.split('class="cb-summary"')[1].split("</div>")[0]
    for tag in ("<strong", "<em", "<sup", "<del", "<code", "<h1", "<a "):
        assert tag not in summary
    assert "龙里县“司机之家”测试案例 **x** ^0^" in text


def test_chinese_heading_slugs(fixture_site):
    ids = parse(fixture_site / "cases/fx-longli-drivers-home.html").ids
    assert {"概述", "主要措施", "数据", "出处"} <= ids
    assert not any(re.fullmatch(r"_\d+", i) for i in ids)


def test_withdrawn_case_keeps_its_url_and_points_on(fixture_site):
    page = fixture_site / "cases/fx-withdrawn.html"
    text = text_of(page)
    assert "此案例已撤下" in text and "与扶风县案例重复，已合并。" in text
    assert "cases/fx-fufeng-sanjia.html" in links_from(fixture_site, "cases/fx-withdrawn.html")
    assert "cases/fx-withdrawn.html" not in links_from(fixture_site, "cases/index.html")


def test_home_counts_and_entry_points(fixture_site):
    text = text_of(fixture_site / "index.html")
    assert "4 个案例" in text and "3 个省级地区" in text and "3 个县（区）" in text
    out = links_from(fixture_site, "index.html")
    for index in ("regions", "groups", "topics", "models", "actor-levels", "themes", "years", "sources", "cases"):
        assert f"{index}/index.html" in out
    assert "cases/fx-withdrawn.html" not in out


def test_nav_holds_only_index_pages(fixture_site):
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    nav = html.split('class="md-nav md-nav--primary"')[1].split("</nav>")[0]
    assert "cases/fx-" not in nav
    assert "regions/index.html" in nav


def test_edit_link_opens_the_yaml_record(tmp_path):
    out = tmp_path / "site"
    proc = build_site(
        FIXTURES / "cases",
        out,
        search=False,
        extra_env={"CASEBOOK_EDIT_BASE": "https://forge.example/org/casebook/edit/main/"},
    )
    assert proc.returncode == 0, proc.stderr
    links = parse(out / "cases/fx-changping.html").links
    assert any(h.startswith("https://forge.example/org/casebook/edit/main/") and h.endswith(".yaml") for h in links)
    assert not any(h.endswith(".md") for h in links)


# --- the whole built site ---------------------------------------------------------------------------


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_corpus_case_pages_stay_small(corpus_site):
    """The case pages of the frozen records, both languages: the largest (the Bijie case) within 30 KB.
    (Every page built from cases/, listings included: test_content.py.)"""
    sizes = {
        p.relative_to(corpus_site).as_posix(): p.stat().st_size
        for p in [*(corpus_site / "cases").glob("*.html"), *(corpus_site / "en/cases").glob("*.html")]
    }
    assert len(sizes) == 2 * (len(list(CORPUS.rglob("*.yaml"))) + 1)
    assert max(sizes.values()) <= 30 * 1024, max(sizes.items(), key=lambda kv: kv[1])


def test_corpus_builds_strict_with_a_page_per_record(corpus_site):
    assert (corpus_site / "cases" / "longli-express-logistics-party-committee.html").is_file()
    assert (corpus_site / "en" / "cases" / "longli-express-logistics-party-committee.html").is_file()
    assert len(list((corpus_site / "cases").glob("*.html"))) == len(list(CORPUS.rglob("*.yaml"))) + 1 == 32


def test_two_builds_are_byte_identical(corpus_site, tmp_path):
    again = tmp_path / "again"
    proc = build_site(CORPUS, again)
    assert proc.returncode == 0, proc.stderr
    a, b = digest(corpus_site), digest(again)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_failed_build_leaves_previous_site_untouched(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(FIXTURES / "cases", cases)
    out = tmp_path / "site"
    assert build_site(cases, out, search=False).returncode == 0
    before = digest(out)
    bad = cases / "guizhou" / "fx-longli-drivers-home.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("groups: [truck-drivers, couriers]", "groups: [truckers]"),
        encoding="utf-8",
    )
    proc = build_site(cases, out, search=False)
    assert proc.returncode == 1
    assert "groups 第1项 “truckers” 不在词表" in proc.stderr
    assert digest(out) == before
    assert not list(tmp_path.glob(".site.building-*"))


def test_strict_mode_warning_also_keeps_previous_site(tmp_path):
    """A build that MkDocs itself fails (strict warning) does not touch site/ either."""
    out = tmp_path / "site"
    assert build_site(FIXTURES / "cases", out, search=False).returncode == 0
    before = digest(out)
    project = tmp_path / "site-project"
    (project / "docs" / "broken.md").write_text("# x\n\n[missing](no-such-page.md)\n", encoding="utf-8")
    proc = build_site(FIXTURES / "cases", out, search=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert digest(out) == before


@pytest.mark.parametrize("folder", ["groups", "topics", "models", "actor-levels", "years", "sources", "themes"])
def test_every_index_type_has_pages(fixture_site, folder):
    pages = list((fixture_site / folder).glob("*.html"))
    assert len(pages) >= 2  # the index and at least one term page
    assert (fixture_site / "en" / folder / "index.html").is_file()
