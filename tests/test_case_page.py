"""The case page (casebook/templates/case.md.j2, casebook/casepage.py): figures as readers read them,
the source column only with several sources, "cite this case", labelled tag rows, no internal paths,
full-width punctuation, tables that fit their column, badges on one line, the phone contents menu and
the page-size budget. Rendering tests use the small fixtures; page and browser tests the frozen corpus."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from casebook.casepage import en_amount, zh_amount
from casebook.index import build_catalog
from casebook.model import Amount, English
from casebook.render import pages, ui
from casebook.site import generation_options, load_cases

from .conftest import FIXTURES

BUDGET = 30 * 1024  # bytes per case page, each language


# --- figures as readers read them ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "unit", "qualifier", "value", "zh", "en"),
    [
        ("9.46亿元", "元", "exact", 946_000_000, "9.46亿元", "946 million yuan"),
        ("3万余次", "次", "more-than", 30_000, "3万余次", "more than 30,000 times"),
        ("近600个", "个", "nearly", 600, "近600个", "nearly 600"),
        ("2000余名", "名", "more-than", 2000, "2000余名", "more than 2,000 people"),
        ("两千余名", "名", "more-than", 2000, "2000余名", "more than 2,000 people"),
        ("100余万元", "元", "more-than", 1_000_000, "100余万元", "more than 1 million yuan"),
        ("400万单以上", "单", "more-than", 4_000_000, "400万单以上", "more than 4 million parcels"),
        ("2346.82万元", "元", "exact", 23_468_200, "2346.82万元", "23,468,200 yuan"),
        ("一个多月", "个月", "more-than", 1, "1个多月", "more than 1 month"),
        ("上万份", "份", "more-than", 10_000, "上万份", "more than 10,000 copies"),
        ("2吨左右", "吨", "about", 2, "2吨左右", "about 2 tonnes"),
        ("不足3000元", "元", "less-than", 3000, "不足3000元", "less than 3,000 yuan"),
        ("高达9.46亿元", "元", "exact", 946_000_000, "9.46亿元", "946 million yuan"),
        ("78.47%", "%", "exact", 78.47, "78.47%", "78.47%"),
    ],
)
def test_figure_wording(printed, unit, qualifier, value, zh, en):
    a = Amount(printed, qualifier, value)
    assert zh_amount(a, unit) == zh
    assert str(en_amount(a, unit)) == en


def test_ranges_and_several_in_words():
    assert zh_amount(Amount("七八分钟", "range", None, 7, 8), "分钟") == "7～8分钟"
    assert str(en_amount(Amount("七八分钟", "range", None, 7, 8), "分钟")) == "7–8 minutes"
    assert zh_amount(Amount("数百个", "several", 100), "个") == "数百个"
    assert str(en_amount(Amount("数百个", "several", 100), "个")) == "hundreds"
    assert str(en_amount(Amount("数十项", "several", 10), "项")) == "dozens of items"


@pytest.fixture(scope="module")
def fixture_pages() -> dict[tuple[str, str], str]:
    """The fixture cases' pages as generated Markdown (raw HTML blocks), by (language, case id)."""
    catalog = build_catalog(load_cases(FIXTURES / "cases"))
    out = {}
    for lang in ("zh", "en"):
        for page, text in pages(catalog, lang, {}):
            if page.startswith("cases/fx-"):
                out[lang, page[len("cases/") : -len(".md")]] = text
    return out


def test_no_qualifier_symbols(fixture_pages):
    for (lang, case_id), text in fixture_pages.items():
        numbers = text.split('class="cb-numbers"')[1].split("</table>")[0] if "cb-numbers" in text else ""
        for symbol in ("&gt; ", "≥", "≲", "≈", "× 100", "数 ×"):
            assert symbol not in numbers, (lang, case_id, symbol)


def test_printed_wording_shown_where_it_differs(fixture_pages):
    tian = fixture_pages["zh", "fx-tiantongyuan"]
    assert "7～8分钟 → 1分多钟<small>原文“从七八分钟减少到一分多钟”</small>" in tian
    longli = fixture_pages["zh", "fx-longli-drivers-home"]
    assert ">2000余亩</td>" in longli  # written as printed: not repeated
    en = fixture_pages["en", "fx-longli-drivers-home"]
    assert 'more than 2,000 mu<small>as printed <span lang="zh">“2000余亩”</span></small>' in en


def test_source_column_only_with_several_sources(fixture_pages):
    several = fixture_pages["zh", "fx-changping"]  # two sources
    table = several.split('class="cb-numbers"')[1].split("</table>")[0]
    assert '<th scope="col">出处</th>' in table
    assert '<a href="#source-a">[1]</a>' in table and '<a href="#source-b">[2]</a>' in table
    assert "测试发文单位" not in table  # the issuer once, in the sources section, not in every row
    assert "<p>[1] " in several and "<p>[2] " in several
    one = fixture_pages["zh", "fx-longli-drivers-home"]  # one source
    table = one.split('class="cb-numbers"')[1].split("</table>")[0]
    assert "出处" not in table and "#source-" not in table


def test_figures_grouped_by_the_measure_they_support(fixture_pages):
    """Figures linked to a measure (``measure:`` in the record) are grouped under it; it gets an anchor."""
    cases = load_cases(FIXTURES / "cases")
    case = next(c for c in cases if c.id == "fx-longli-drivers-home")
    linked = tuple(dataclasses.replace(f, measure=0 if i == 0 else None) for i, f in enumerate(case.numbers))
    cases = [dataclasses.replace(case, numbers=linked) if c is case else c for c in cases]
    text = dict(pages(build_catalog(cases), "zh", {}))["cases/fx-longli-drivers-home.md"]
    assert '<li id="measure-1">' in text
    assert '<th scope="rowgroup" colspan="2"><a href="#measure-1">' in text
    assert text.count("<tbody>") == 2  # the linked figure's group, then the others


# --- head: tag rows, period, measures -----------------------------------------------------------------


def test_tag_rows_are_labelled(fixture_pages):
    zh = fixture_pages["zh", "fx-changping"]
    assert '<dt>服务对象</dt><dd><ul class="cb-chips"><li><a class="cb-chip cb-chip--group"' in zh
    assert '<dt>措施类型</dt><dd><ul class="cb-chips"><li><a class="cb-chip cb-chip--topic"' in zh
    en = fixture_pages["en", "fx-changping"]
    assert "<dt>Groups served</dt>" in en and "<dt>Measure types</dt>" in en


def test_reported_year_shown_once(fixture_pages):
    """ "报道 2022年12月6日 · 2022" showed the year twice: the date's own year is the link to the year page."""
    for (lang, case_id), text in fixture_pages.items():
        period = re.search(r"<dt>(?:时间|Period)</dt><dd>(.*?)</dd>", text).group(1)
        assert not re.search(r" · <a [^>]*>20\d\d</a>$", period), (lang, case_id, period)
        assert re.search(r'<a href="../years/20\d\d.html">20\d\d', period), (lang, case_id, period)
    zh = fixture_pages["zh", "fx-changping"]  # reported: "2022"
    assert re.search(r"<dt>时间</dt><dd>(.*?)</dd>", zh).group(1) == '报道 <a href="../years/2022.html">2022年</a>'


def test_measure_without_a_name_is_not_a_lone_tag(fixture_pages):
    for text in fixture_pages.values():
        measures = text.split('class="cb-measures"')[1].split("</ol>")[0]
        for li in re.findall(r"<li[^>]*>.*?</li>", measures, re.S):
            assert not re.match(r"<li[^>]*><a class=\"cb-chip", li), li


# --- cite this case -----------------------------------------------------------------------------------


def test_cite_this_case_text(fixture_pages):
    zh = fixture_pages["zh", "fx-changping"]
    assert (
        '<code class="cb-citation__text">昌平区组建新就业群体党支部[DB/OL]. 党建引领新就业群体·典型案例库. '
        '(2026-11-02)[<span class="cb-accessed">引用日期</span>]. <span class="cb-url">本页网址</span>.</code>'
    ) in zh
    assert "按 GB/T 7714 著录" in zh and 'role="status" data-done="已复制"' in zh
    en = fixture_pages["en", "fx-changping"]
    assert '<span lang="zh">党建引领新就业群体·典型案例库</span>. (2026-11-02)' in en
    assert 'data-done="Copied"' in en


def test_cite_uses_the_canonical_address_when_set(monkeypatch):
    monkeypatch.setenv("CASEBOOK_SITE_URL", "https://casebook.example.org/archive/")
    options = generation_options()
    assert options["site_url"] == "https://casebook.example.org/archive/"
    catalog = build_catalog(load_cases(FIXTURES / "cases"))
    zh = dict(pages(catalog, "zh", options))["cases/fx-changping.md"]
    en = dict(pages(catalog, "en", options))["cases/fx-changping.md"]
    assert (
        '[<span class="cb-accessed">引用日期</span>]. https://casebook.example.org/archive/cases/fx-changping.html.'
        in zh
    )
    assert "https://casebook.example.org/archive/en/cases/fx-changping.html." in en
    assert 'class="cb-url"' not in zh
    monkeypatch.delenv("CASEBOOK_SITE_URL")
    assert "site_url" not in generation_options()


def test_edit_link_only_for_editors(fixture_pages):
    catalog = build_catalog(load_cases(FIXTURES / "cases"))
    plain = fixture_pages["zh", "fx-changping"]
    assert "cb-edit" not in plain and ".yaml" not in plain
    edit = dict(pages(catalog, "zh", {"edit_base": "https://forge.example/edit/main/"}))["cases/fx-changping.md"]
    assert (
        '<div class="cb-edit"><a href="https://forge.example/edit/main/cases/beijing/fx-changping.yaml" '
        'rel="noopener">供编者：在代码仓库中修改此记录</a></div>'
    ) in edit


# --- the built pages (frozen corpus) -------------------------------------------------------------------


class Visible(HTMLParser):
    """The text a reader sees, without the copied citations (GB/T 7714 punctuation is its own)."""

    SKIP = {"script", "style", "code"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.text.append(data)


def case_pages(site: Path, lang: str) -> list[Path]:
    folder = site / "cases" if lang == "zh" else site / "en" / "cases"
    return sorted(p for p in folder.glob("*.html") if not re.match(r"index(-p\d+)?\.html$", p.name))


def test_no_internal_paths_on_case_pages(corpus_site):
    for lang in ("zh", "en"):
        for path in case_pages(corpus_site, lang):
            html = path.read_text(encoding="utf-8")
            assert not re.search(r"cases/[\w/-]+\.yaml", html), path
            for word in ("记录文件", "存档文件", "Record file", "Archived text", ".txt<"):
                assert word not in html, (path, word)


# Record text (the editors' and the source's words) keeps its own punctuation: only the page's own words count.
RECORD_TEXT = re.compile(
    r'<div class="cb-(?:summary|measures|quotes|notes|corrections)"[^>]*>.*?</div>'
    r'|<p class="cb-source-notes"[^>]*>.*?</p>|<h1[^>]*>.*?</h1>|<title>.*?</title>|<td>[^<]*</td>',
    re.S,
)


def test_full_width_punctuation_in_chinese_ui(corpus_site):
    han = r"[\u4e00-\u9fff]"
    for path in case_pages(corpus_site, "zh"):
        parser = Visible()
        parser.feed(RECORD_TEXT.sub(" ", path.read_text(encoding="utf-8")))
        text = "".join(parser.text)
        assert "（推断" in text or "推断" not in text
        for pattern in (rf"\((?:推断|{han})", rf"{han}\)", rf"{han}, ", rf"{han}: "):
            assert not re.search(pattern, text), (path.name, re.search(pattern, text))
    labels = ui()
    for key in (
        "inferred_mark",
        "not_printed_mark",
        "publication_unknown",
        "colon",
        "comma",
        "paren_open",
        "cite_note",
    ):
        assert not re.search(r"[(),:;]", labels[key]["zh"]), key


def test_case_pages_within_budget(corpus_site):
    sizes = {f"{lang}:{p.name}": p.stat().st_size for lang in ("zh", "en") for p in case_pages(corpus_site, lang)}
    assert len(sizes) == 62
    over = {k: v for k, v in sizes.items() if v > BUDGET}
    assert over == {}, over


def test_partly_translated_case_marks_what_is_in_chinese():
    """en.title and en.model without en.summary: English title and model, the rest marked (in Chinese)."""
    cases = load_cases(FIXTURES / "cases")
    case = next(c for c in cases if c.id == "fx-changping")
    partial = dataclasses.replace(case, en=English("Changping: Party branches for couriers", None, "Joint building"))
    cases = [partial if c is case else c for c in cases]
    text = dict(pages(build_catalog(cases), "en", {}))["cases/fx-changping.md"]
    assert "<h1>Changping: Party branches for couriers</h1>" in text
    assert "(Joint building)" in text
    assert "## Summary <small>(in Chinese)</small> { #summary }" in text
    assert "## Measures <small>(in Chinese)</small> { #measures }" in text
    assert "No English translation" not in text  # the title is translated: the sections say what is not


def test_untranslated_sections_marked_in_english(corpus_site):
    html = (corpus_site / "en/cases/longli-express-logistics-party-committee.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="summary">Summary <small>\(in Chinese\)</small></h2>', html)
    zh = (corpus_site / "cases/longli-express-logistics-party-committee.html").read_text(encoding="utf-8")
    assert "(in Chinese)" not in zh and '<h2 id="概述">概述</h2>' in zh


# --- in Chromium -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(corpus_site, serve) -> str:
    return serve(corpus_site)


WIDE = ["cases/tiantongyuanbei-hualian-jiayuan-station.html", "cases/bijie-five-systems-urban-party-building.html"]


@pytest.mark.parametrize("width", [1366, 390])
def test_figures_table_fits_its_column(browser, base, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    pg = context.new_page()
    for rel in WIDE + ["en/" + p for p in WIDE]:
        pg.goto(base + rel, wait_until="networkidle")
        fit = pg.evaluate(
            """() => {
              const box = document.querySelector('.cb-numbers');
              const table = box.querySelector('table');
              const col = document.querySelector('.md-content__inner').getBoundingClientRect();
              return {table: table.getBoundingClientRect().width, box: box.getBoundingClientRect().width,
                      right: table.getBoundingClientRect().right, colRight: col.right,
                      page: document.documentElement.scrollWidth};
            }"""
        )
        assert fit["table"] <= fit["box"] + 0.5, (rel, fit)
        assert fit["right"] <= fit["colRight"] + 0.5, (rel, fit)
        assert fit["page"] <= width, (rel, fit)
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_badges_and_tags_on_one_line(browser, base, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    pg = context.new_page()
    for rel in [
        "cases/bijie-five-systems-urban-party-building.html",
        "en/cases/bijie-five-systems-urban-party-building.html",
    ]:
        pg.goto(base + rel, wait_until="networkidle")
        broken = pg.evaluate(
            """() => [...document.querySelectorAll('.cb-rel, .cb-chip')]
                 .filter(e => e.getClientRects().length > 1).map(e => e.textContent)"""
        )
        assert pg.locator(".cb-rel").count() > 0
        assert broken == [], (rel, broken)
    context.close()


def test_phone_contents_menu(browser, base):
    rel = "cases/bijie-five-systems-urban-party-building.html"
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = phone.new_page()
    pg.goto(base + rel, wait_until="networkidle")
    menu = pg.locator(".cb-toc summary")
    assert menu.is_visible() and menu.inner_text() == "本页目录"
    menu.click()
    links = pg.locator(".cb-toc a")
    assert links.count() >= 6
    for i in range(links.count()):  # every entry leads to a heading of the page
        target = links.nth(i).get_attribute("href")[1:]
        assert pg.evaluate("id => !!document.getElementById(id)", target), target
    pg.locator(".cb-toc a", has_text="数据").click()
    assert pg.url.endswith("#%E6%95%B0%E6%8D%AE") or pg.url.endswith("#数据")
    assert not pg.evaluate("document.querySelector('.cb-toc details').open")
    phone.close()
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = desk.new_page()
    pg.goto(base + rel, wait_until="networkidle")
    assert not pg.locator(".cb-toc").is_visible()  # Material's table of contents is beside the page
    desk.close()


@pytest.mark.parametrize(("lang", "word"), [("", "已复制"), ("en/", "Copied")])
def test_copy_cite_this_case(browser, base, lang, word):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    pg = context.new_page()
    url = base + lang + "cases/fufeng-sanjia-project.html"
    pg.goto(url, wait_until="networkidle")
    cite = pg.locator(".cb-cite")
    cite.locator("button.cb-copy").click()
    copied = pg.evaluate("navigator.clipboard.readText()")
    today = date.today().isoformat()
    assert "[DB/OL]. 党建引领新就业群体·典型案例库. (" in copied
    assert copied.endswith(f")[{today}]. {url}.")
    assert copied == cite.locator(".cb-citation__text").inner_text()
    pg.wait_for_function("document.querySelector('.cb-copied').textContent !== ''")
    assert pg.locator(".cb-copied").text_content() == word
    assert pg.locator(".cb-copied").get_attribute("role") == "status"
    assert cite.locator("button.cb-copy").inner_text() == word
    # the source's citation button copies its own line (no duplicate of it in an attribute)
    source = pg.locator(".cb-source .cb-citation")
    source.locator("button.cb-copy").click()
    assert pg.evaluate("navigator.clipboard.readText()") == source.locator(".cb-citation__text").inner_text()
    assert pg.locator("[data-copy]").count() == 0
    context.close()
