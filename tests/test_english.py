"""The English interface: twins both ways, no Chinese in the chrome, switcher round trip, fallbacks.

On the site built from the frozen records in tests/corpus (``corpus_site``): the tests name cases."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

HAN = re.compile(r"[\u3400-\u9fff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class HanOutsideZh(HTMLParser):
    """Han text that is not inside an element marked lang="zh" (record text) or the 中文 switcher link."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        self.stack.append((tag, a.get("lang") or (a.get("hreflang") if tag == "a" else None)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not HAN.search(data):
            return
        tags = [t for t, _ in self.stack]
        if "head" in tags or "script" in tags or "style" in tags:
            return
        if any(lang and lang.startswith("zh") for _, lang in self.stack):
            return
        self.found.append(data.strip()[:50])


def pages(site: Path, english: bool) -> set[str]:
    out = set()
    for p in site.rglob("*.html"):
        rel = p.relative_to(site).as_posix()
        if rel.startswith("en/") == english:
            out.add(rel[3:] if english else rel)
    return out


def test_every_page_has_a_twin_both_ways(corpus_site):
    zh = pages(corpus_site, english=False) - {"404.html"}  # static hosts serve one, bilingual, 404
    en = pages(corpus_site, english=True)
    assert zh - en == set()
    assert en - zh == set()
    assert len(zh) > 100


def test_no_chinese_in_the_english_chrome(corpus_site):
    offenders = {}
    for rel in sorted(pages(corpus_site, english=True)):
        parser = HanOutsideZh()
        parser.feed((corpus_site / "en" / rel).read_text(encoding="utf-8"))
        if parser.found:
            offenders[rel] = parser.found[:3]
    assert offenders == {}


def test_untranslated_case_is_marked_and_never_blank(corpus_site):
    html = (corpus_site / "en/cases/longli-express-logistics-party-committee.html").read_text(encoding="utf-8")
    assert "No English translation of this case yet" in html
    assert '<h1 lang="zh">龙里县' in html
    assert "Measures" in html and "Figures" in html and "Sources" in html


def test_translated_case_shows_english(corpus_site):
    html = (corpus_site / "en/cases/fufeng-sanjia-project.html").read_text(encoding="utf-8")
    assert "No English translation" not in html
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)
    assert not HAN.search(h1) and "Fufeng" in h1


def test_vocabulary_and_region_labels_in_english(corpus_site):
    groups = (corpus_site / "en/groups/index.html").read_text(encoding="utf-8")
    assert "Couriers" in groups and "Truck drivers" in groups
    regions = (corpus_site / "en/regions/index.html").read_text(encoding="utf-8")
    assert "Guizhou" in regions and "Guizhou Province" not in regions
    guizhou = (corpus_site / "en/regions/520000.html").read_text(encoding="utf-8")
    assert "Longli County" in guizhou and "Guizhou Province" not in guizhou  # counties: on the province's page
    figures = (corpus_site / "en/cases/longli-express-logistics-party-committee.html").read_text(encoding="utf-8")
    assert "more than 2,000 mu" in figures and "120,000 people" in figures


@pytest.mark.parametrize(
    "zh_path",
    ["index.html", "cases/qingtian-qingfengxia.html", "regions/522730.html", "groups/couriers.html", "years/2022.html"],
)
def test_switcher_round_trip(browser, corpus_site, serve, zh_path):
    base = serve(corpus_site)
    pg = browser.new_page()
    pg.goto(base + zh_path)
    pg.locator(".md-select__link[hreflang=en]").first.evaluate("a => a.click()")
    pg.wait_for_url(base + "en/" + zh_path)
    assert pg.locator("html").get_attribute("lang") == "en"
    pg.locator(".md-select__link[hreflang=zh]").first.evaluate("a => a.click()")
    pg.wait_for_url(base + zh_path)
    assert pg.locator("html").get_attribute("lang").startswith("zh")
    pg.close()


def test_404_is_bilingual(corpus_site):
    html = (corpus_site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in html and "Page not found" in html
    assert 'href="en/index.html"' in html and 'href="index.html"' in html  # tests/test_404.py: any depth
