"""Listing, region, home and category index pages (casebook/listings.py and their templates).

Logic on the frozen corpus's catalog and small changes to it; pages on the site built from the
frozen corpus (``corpus_site``), which these tests name cases of."""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from pathlib import Path

import pytest

from casebook import listings
from casebook.index import build_catalog
from casebook.render import _trail
from casebook.site import load_cases
from casebook.vocab import vocabulary

from .conftest import CORPUS

DEFINED = ("groups", "topics", "themes", "model-kinds", "actor-levels")
INDEX_OF = {
    "groups": "groups",
    "topics": "topics",
    "themes": "themes",
    "model-kinds": "models",
    "actor-levels": "actor-levels",
}


@pytest.fixture(scope="module")
def cases():
    return load_cases(CORPUS)


@pytest.fixture(scope="module")
def catalog(cases):
    return build_catalog(cases, related=False)


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def entries(html: str) -> list[str]:
    """The listing entries (``<li class="cb-item">…</li>``) of a page, in order."""
    return re.findall(r'<li class="cb-item">(.*?)</li>', html, re.S)


def entry_of(html: str, case_id: str) -> str:
    found = [e for e in entries(html) if re.search(f'href="(?:[./]*cases/)?{case_id}\\.html"', e)]
    assert found, case_id
    return found[0]


# --- the county table -------------------------------------------------------------------------------


def test_county_table_sums_to_the_province(catalog):
    for code, node in catalog.regions.items():
        table = listings.county_table(node)
        counted = table.own + sum(g.own + sum(n for _, n in g.counties) for g in table.groups)
        assert counted == table.total == node.count, code
    guizhou = listings.county_table(catalog.regions["520000"])
    assert guizhou.own == 1 and guizhou.has_cities  # the province-wide case of 贵州省直机关工委
    beijing = listings.county_table(catalog.regions["110000"])
    assert not beijing.has_cities and beijing.own == 1  # a municipality: districts directly


@pytest.mark.parametrize("lang", ["", "en/"])
def test_county_table_on_the_province_page(corpus_site, lang):
    html = read(corpus_site, f"{lang}regions/520000.html")
    table = re.search(r'<table class="cb-county-table">(.*?)</table>', html, re.S)[1]
    body, foot = table.split("<tfoot>")
    rows = re.findall(r'<tr class="cb-county-row">(.*?)</tr>', body, re.S)
    counts = [int(re.findall(r'<td class="cb-num">(\d+)</td>', r)[0]) for r in rows]
    assert sum(counts) == int(re.search(r'<td class="cb-num">(\d+)</td>', foot)[1]) == 8
    assert "520300.html" in body and "520382.html" in body  # 遵义市 and its 仁怀市 link to their pages
    assert ("市本级" if not lang else "City as a whole") in text(body)  # 毕节市's own case


# --- region pages -------------------------------------------------------------------------------------


def test_region_page_lists_the_units_own_cases_first(corpus_site, catalog):
    ids = [
        re.search(r'href="[\w./-]*?([\w-]+)\.html"', e)[1] for e in entries(read(corpus_site, "regions/520000.html"))
    ]
    assert ids[0] == "guizhou-provincial-organs-congress-study-videos"  # about 贵州省 as a whole
    assert sorted(ids) == sorted(c.id for c in catalog.regions["520000"].all_cases())
    below = [catalog.by_id[i] for i in ids[1:]]
    assert below == catalog.in_listing_order(below)  # the rest newest first, as every listing


def test_county_page_links_to_other_cases_in_its_city_and_province(corpus_site, catalog):
    html = read(corpus_site, "regions/520322.html")  # 桐梓县: one case
    mine = "tongzi-loushanguan-talent-service"
    linked = set(re.findall(r'href="\.\./cases/([\w-]+)\.html"', html)) - {mine}
    zunyi = {c.id for c in catalog.regions["520000"].children["520300"].all_cases()} - {mine}
    guizhou = {c.id for c in catalog.regions["520000"].all_cases()} - zunyi - {mine}
    assert zunyi and zunyi <= linked  # the other two cases of 遵义市
    assert len(linked & guizhou) == listings.NEARBY_LIMIT  # and some of the rest of 贵州省
    assert 'href="520300.html"' in html and 'href="520000.html"' in html
    assert "同在遵义市的其他案例" in html and "同在贵州省的其他案例" in html
    en = read(corpus_site, "en/regions/520322.html")
    assert "Also in Zunyi" in text(en) and 'href="520000.html"' in en


def test_nearby_leaves_out_cases_already_listed(catalog):
    nodes = listings._nodes(catalog)
    for node in nodes.values():
        trail = _trail(catalog, node)
        inner = {c.id for c in node.all_cases()}
        for near in listings.nearby(catalog, node, trail):
            assert not inner & {c.id for c in near.cases}
            assert 0 < len(near.cases) <= listings.NEARBY_LIMIT
            inner = {c.id for c in nodes[near.place.code].all_cases()}


# --- listing entries ----------------------------------------------------------------------------------


def test_listing_entry_names_every_level_of_the_place(corpus_site, catalog):
    html = read(corpus_site, "cases/index.html")
    entry = text(entry_of(html, "renhuai-wuma-sanyuan-citrus-cooperative"))
    assert "贵州省 遵义市 仁怀市 五马镇 三元村村民委员会 · 2022" in entry
    assert "北京市 朝阳区 八里庄街道 · 2022" in text(entry_of(html, "balizhuang-huamao-courier-management"))
    en = text(entry_of(read(corpus_site, "en/cases/index.html"), "renhuai-wuma-sanyuan-citrus-cooperative"))
    region = catalog.by_id["renhuai-wuma-sanyuan-citrus-cooperative"].region
    assert ", ".join(p.name_en for p in reversed(region)) + " · 2022" in unescape(en)  # from the unit up


def test_every_listing_entry_shows_the_whole_place(corpus_site, catalog):
    for case in catalog.cases:
        for page in ("cases/index.html", f"years/{case.year}.html"):
            entry = text(entry_of(read(corpus_site, page), case.id))
            assert " ".join(p.name for p in case.region) + " · " in entry, (page, case.id)


# --- topics: the measures that carry the topic -------------------------------------------------------


@pytest.mark.parametrize("topic", ["service-stations", "care-and-rights", "organisation-coverage"])
def test_topic_page_shows_the_measures_with_that_topic(corpus_site, catalog, topic):
    html = read(corpus_site, f"topics/{topic}.html")
    for case in catalog.by_topic[topic]:
        entry = entry_of(html, case.id)
        line = re.search(r'<span class="cb-item__measures">(.*)</span>', entry, re.S)
        mine = [m for m in case.measures if m.topic == topic]
        if not mine:  # the case has the topic but no measure of it
            assert line is None
            continue
        shown = text(line[1])
        for m in mine:
            assert (m.name or listings.excerpt(m.text)) in shown, (case.id, m)
        for m in case.measures:
            if m.topic != topic and m.name and all(m.name not in (x.name or "") for x in mine):
                assert m.name not in shown, (case.id, m.name)


def test_topic_page_names_a_known_measure(corpus_site):
    entry = entry_of(read(corpus_site, "topics/service-stations.html"), "kunming-wuhua-red-courier-homes")
    assert "相关措施：五华红色小哥之家" in text(entry)
    en = entry_of(read(corpus_site, "en/topics/service-stations.html"), "kunming-wuhua-red-courier-homes")
    assert "Measures: Wuhua Red Courier Homes" in text(en)


def test_excerpt_of_a_nameless_measure():
    assert listings.excerpt("短句。") == "短句。"
    long = "在各镇（街道）设立服务站点，配备饮水机、充电设施、医药箱等，方便骑手歇脚。"
    assert listings.excerpt(long) == long[: listings.EXCERPT].rstrip("，。；、,.; ") + "…"


# --- category definitions and the actor-level index --------------------------------------------------


@pytest.mark.parametrize("kind", DEFINED)
def test_every_category_has_a_one_line_definition(kind):
    for term in vocabulary(kind).terms:
        d = term.extra.get("definition")
        assert d and d["zh"] and d["en"], (kind, term.slug)
        assert "\n" not in d["zh"] + d["en"] and len(d["zh"]) <= 60 and len(d["en"]) <= 160, term.slug
        assert d["zh"].endswith("。") and not re.search(r"[,;:()]", d["zh"]), term.slug  # full-width
        assert d["en"].endswith(".") and not re.search(r"[\u3400-\u9fff]", d["en"]), term.slug


@pytest.mark.parametrize("kind", DEFINED)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_definitions_on_the_index_pages(corpus_site, catalog, kind, lang):
    folder = INDEX_OF[kind]
    html = read(corpus_site, ("" if lang == "zh" else "en/") + f"{folder}/index.html")
    used = {
        "groups": catalog.by_group,
        "topics": catalog.by_topic,
        "themes": catalog.by_theme,
        "model-kinds": catalog.by_kind,
        "actor-levels": catalog.by_actor_level,
    }[kind]
    items = re.findall(r"<li>(.*?)</li>", html.split('class="cb-term-list')[1].split("</ul>")[0], re.S)
    assert len(items) == len(used)
    for term in vocabulary(kind).terms:
        if term.slug in used:
            item = next(i for i in items if f'href="{term.slug}.html"' in i)
            assert '<span class="cb-def">' in item and term.extra["definition"][lang] in text(item)


def test_actor_level_index_and_pages(corpus_site, catalog):
    html = read(corpus_site, "actor-levels/index.html")
    assert "<h1>实施主体层级</h1>" in html
    counts = dict(re.findall(r'href="([\w-]+)\.html">[^<]+</a> <span class="cb-n">(\d+)</span>', html))
    assert counts == {level: str(len(cs)) for level, cs in catalog.by_actor_level.items()}
    assert counts["county"] == str(sum(1 for c in catalog.cases if c.actor_level == "county"))
    listed = {
        re.search(r'href="[\w./-]*?([\w-]+)\.html"', e)[1]
        for e in entries(read(corpus_site, "actor-levels/county.html"))
    }
    assert listed == {c.id for c in catalog.cases if c.actor_level == "county"}
    assert "← 实施主体层级" in text(read(corpus_site, "actor-levels/county.html"))
    assert "actor-levels/index.html" in read(corpus_site, "index.html").split("md-nav--primary")[1]  # in the nav
    en = read(corpus_site, "en/actor-levels/county.html")
    assert "<h1>County</h1>" in en and vocabulary("actor-levels").get("county").extra["definition"]["en"] in text(en)


# --- the home page --------------------------------------------------------------------------------------


def test_newest_first_then_most_recently_reported(cases):
    moved = [dataclasses.replace(c, added="2027-01-05") if c.id.startswith("q") else c for c in cases]
    newest = listings.newest(build_catalog(moved, related=False), len(moved))
    added = [c.added for c in newest]
    assert added == sorted(added, reverse=True) and newest[0].added == "2027-01-05"
    for a, b in zip(newest, newest[1:], strict=False):
        if a.added == b.added:
            assert listings._desc(a.reported or a.started or "") <= listings._desc(b.reported or b.started or "")
    assert listings._desc("2022-12-06") < listings._desc("2022-12") < listings._desc("2022") < listings._desc("")


@pytest.mark.parametrize("lang", ["", "en/"])
def test_home_newest_first_with_dates(corpus_site, catalog, lang):
    html = read(corpus_site, f"{lang}index.html")
    newest = html.split('<ul class="cb-list">')[1].split("</ul>")[0]
    items = entries('<ul class="cb-list">' + newest)
    assert len(items) == 10
    dates = [re.search(r'<time datetime="([\d-]+)">([^<]+)</time>', e) for e in items]
    assert all(dates) and [d[1] for d in dates] == sorted((d[1] for d in dates), reverse=True)
    assert ("2026年11月23日收录" if not lang else "Added 23 November 2026") == dates[0][2]
    ids = [re.search(r'href="[\w./-]*?([\w-]+)\.html"', e)[1] for e in items]
    assert ids == [c.id for c in listings.newest(catalog)]


def test_home_count_cards_are_links_and_downloads_are_described(corpus_site):
    html = read(corpus_site, "index.html")
    cards = re.search(r'<ul class="cb-stats">(.*?)</ul>', html, re.S)[1]
    items = re.findall(r"<li>(.*?)</li>", cards, re.S)
    assert len(items) == 5 and all(i.startswith("<a href=") for i in items)
    assert "个省级地区" in text(cards) and "省份" not in text(cards)
    downloads = re.search(r'<ul class="cb-downloads">(.*?)</ul>', html, re.S)[1]
    for li in re.findall(r"<li>(.*?)</li>", downloads, re.S):
        assert " — " in text(li) and len(text(li).split(" — ", 1)[1]) > 8  # a file and what it holds
    assert 'placeholder="搜索案例"' in html and "cb-home-hint" in html  # the long hint is not a placeholder
