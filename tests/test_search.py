"""Search: the build-time index (casebook/search.py, casebook/facets.py), the MkDocs hook, the header
box and the search page (docs/assets/search.js) in headless Chromium.

Every test reads the site built from the frozen records in tests/corpus (``corpus_site``) or the
fixture records, never cases/: the expected answers name cases and count results.

The relevance of the answers is tested in test_search_relevance.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from casebook import search as cbsearch
from casebook import searchindex
from casebook.facets import UI_KEYS
from casebook.facets import rows as facet_rows
from casebook.render import ui
from casebook.vocab import vocabulary

from .conftest import CORPUS, ROOT, digest

HAN = re.compile(r"[\u3400-\u9fff]")


def facets(site: Path, lang: str = "zh") -> dict:
    root = site / "en" if lang == "en" else site
    return json.loads((root / "search/facets.json").read_text(encoding="utf-8"))


def published_ids(site: Path) -> set[str]:
    return {c["id"] for c in json.loads((site / "data/cases.json").read_text(encoding="utf-8"))["cases"]}


# --- build time -----------------------------------------------------------------------------------


def test_facets_list_every_published_case_with_labels_in_both_languages(corpus_site):
    ids = published_ids(corpus_site)
    for lang in ("zh", "en"):
        f = facets(corpus_site, lang)
        root = corpus_site / "en" if lang == "en" else corpus_site
        rows = facet_rows(f)
        assert [r[0] for r in rows if r[0] not in ids] == []
        assert sorted(r[0] for r in rows) == sorted(ids)
        assert all((root / "cases" / f"{r[0]}.html").is_file() for r in rows)
        groups = {t.slug: t for t in vocabulary("groups").terms}
        assert all(label == groups[slug].label(lang) for slug, label in f["f"]["g"])
        assert set(f["ui"]) == set(UI_KEYS)
        assert all(f["ui"][k] == ui()[k][lang] for k in UI_KEYS)
        if lang == "en":
            assert [v for v in f["ui"].values() if HAN.search(v)] == []
            assert [p for _, p in f["f"]["p"] if HAN.search(p)] == []
        # facet value indexes are valid; dates are YYYYMMDD numbers; newest year first
        for r in rows:
            assert 0 <= r[5] < len(f["f"]["p"]) and -1 <= r[6] < len(f["f"]["c"])
            assert r[6] == -1 or f["f"]["c"][r[6]][2] == r[5]
            assert all(0 <= g < len(f["f"]["g"]) for g in r[7]) and all(0 <= t < len(f["f"]["t"]) for t in r[8])
            assert 19000000 < r[3] < 21000000 and str(r[3]).startswith(f["f"]["y"][r[10]])
        years = [int(f["f"]["y"][r[10]]) for r in rows]
        assert years == sorted(years, reverse=True)


def test_facets_file_is_compact(corpus_site):
    raw = (corpus_site / "search/facets.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert raw.strip() == json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert "c" not in data and len(data["cols"]) == 13  # column by column, not row by row
    assert all(len(col) == len(facet_rows(data)) for col in data["cols"])
    assert all(isinstance(i, int) for i in data["cols"][4])  # places are numbers into "pl"
    rows = json.dumps([data["cols"], data["pl"]], ensure_ascii=False, separators=(",", ":"))
    per_case = len(rows.encode("utf-8")) / len(facet_rows(data))
    assert per_case < 500, per_case
    # the category names (aliases, related words): a fixed table, not per case
    names = json.dumps([data["a"], data["r"]], ensure_ascii=False, separators=(",", ":"))
    assert len(names.encode("utf-8")) < 40_000


def test_index_metadata_matches_the_facets_and_the_files(corpus_site):
    for root in (corpus_site, corpus_site / "en"):
        rows = facet_rows(json.loads((root / "search/facets.json").read_text(encoding="utf-8")))
        meta, tables = searchindex.load(root)
        assert meta["v"] == searchindex.FORMAT and meta["n"] == len(rows)
        assert len(meta["heads"]) == len(meta["ends"]) == len(rows)
        assert all(0 < h < e for h, e in zip(meta["heads"], meta["ends"], strict=True))
        files = {p.name for p in (root / searchindex.INDEX_DIR).iterdir()}
        assert files == {f"{f}-{k}{searchindex.SUFFIX}" for f in searchindex.FAMILIES for k in range(meta[f])}
        # every key sits in the file the browser will ask for (same hash as search.js)
        for family, table in tables.items():
            for key in table:
                blob = root / searchindex.INDEX_DIR / f"{family}-{searchindex.bucket_of(family, key, meta[family])}.cbx"
                assert key in searchindex.unpack(blob.read_bytes())
        texts = {p.name for p in (root / searchindex.TEXT_DIR).iterdir()}
        assert texts == {f"{r[0]}.cbx" for r in rows}
    assert not (corpus_site / "pagefind").exists()


def test_index_finds_phrases_exactly_with_the_first_position(corpus_site):
    meta, tables = searchindex.load(corpus_site)
    rows = facet_rows(json.loads((corpus_site / "search/facets.json").read_text(encoding="utf-8")))
    ids = [r[0] for r in rows]

    def found(query: str) -> set[str]:
        return {ids[d] for d in searchindex.phrase_matches(meta, tables, list(query))}

    assert "fufeng-sanjia-project" in found("三家")
    assert "qingtian-qingfengxia" not in found("三家")  # 三四家: the characters, not the phrase
    assert found("外卖骑手") == {"kunming-wuhua-red-courier-homes", "luxi-new-sector-social-governance"}
    assert found("司机之家") >= {"shenzhen-drivers-home-shenkang"}
    assert found("四建四力") == set()  # 抓“四建”提“四力”: found loosely, by the browser
    # the title and model come first: a phrase in the title is found at a position in the head
    sanjia = ids.index("fufeng-sanjia-project")
    assert searchindex.phrase_matches(meta, tables, list("三家"))[sanjia] < meta["heads"][sanjia]


def test_exact_positions_decode_and_loose_pairs_skip_neighbours():
    # doc 3 once at 7; doc 5 (Δ 2) three times at 1, 4, 10
    assert searchindex.decode_exact([6, 7, 5, 3, 1, 3, 6]) == {3: [7], 5: [1, 4, 10]}
    assert searchindex.decode_loose([3 * 8 + 2, 1 * 8 + 5]) == {3: 2, 4: 5}


def test_traditional_table_is_small_and_limited_to_the_site(corpus_site):
    raw = (corpus_site / "search/t2s.json").read_bytes()
    table = json.loads(raw)
    assert len(raw) < 16_000
    assert (
        table["機"] == "机"
        and table["騎"] == "骑"
        and table["賣"] == "卖"
        and table["俠"] == "侠"
        and table["黨"] == "党"
    )
    assert all(t != s for t, s in table.items())
    site_text = (corpus_site / "search/facets.json").read_text(encoding="utf-8")
    assert "鑫" not in site_text and "鑫" not in table.values()  # a simplified character not on the site


INDEX_FILES = re.compile(r"^(en/)?search/(index/|text/|index\.json$|t2s\.json$)")


def index_digest(site: Path) -> dict[str, str]:
    """The search index files of both languages → their SHA-256."""
    found = {k: v for k, v in digest(site).items() if INDEX_FILES.match(k)}
    assert any(k.startswith("search/index/") for k in found) and "en/search/t2s.json" in found
    return found


def test_reindexing_the_built_site_gives_the_files_the_build_made_from_the_pages(corpus_site, tmp_path):
    # casebook build indexes the generated pages (docs/) while MkDocs runs; mkdocs serve indexes the
    # built site. Both must give the same bytes.
    copy = tmp_path / "site"
    shutil.copytree(corpus_site, copy)
    for name in ("search/index", "search/text", "en/search/index", "en/search/text"):
        shutil.rmtree(copy / name)
    cbsearch.index_site(copy)
    assert index_digest(copy) == index_digest(corpus_site)


def test_indexed_document_order_and_what_is_left_out(corpus_site):
    page = (corpus_site / "en/cases/longli-express-logistics-party-committee.html").read_text(encoding="utf-8")
    assert "No English translation" in page and "cb-breadcrumb" in page
    doc, text = cbsearch.case_document(cbsearch.body_blocks(page))
    everything = doc.head + doc.measures + doc.rest + doc.furniture
    assert "No English translation" not in everything  # the notice
    assert "龙里县" in doc.head and "红色引擎" in doc.head  # title, model
    assert "联席会议机制" in doc.measures and "联席会议机制" not in doc.head  # a measure
    assert "Guizhou" in doc.furniture and "Guizhou" not in doc.measures + doc.rest  # the region: furniture
    assert text == [doc.measures, doc.rest]  # excerpts: the measures and the rest, not head or furniture
    quotes = (corpus_site / "cases/qingtian-qingfengxia.html").read_text(encoding="utf-8")
    doc, _ = cbsearch.case_document(cbsearch.body_blocks(quotes))
    assert "石门社区党委书记" not in doc.rest  # a quote's speaker line is not searchable text


def test_fields_are_apart_and_quotation_marks_kept_for_excerpts(corpus_site):
    page = (corpus_site / "cases/qianyang-sijian-sili.html").read_text(encoding="utf-8")
    doc, text = cbsearch.case_document(cbsearch.body_blocks(page))
    assert "寄递物流行业规模小" in doc.rest and "千阳县委组织部" in doc.furniture
    assert "编者概括" not in doc.head + doc.measures + doc.rest + doc.furniture  # provenance labels
    # two measures' texts are three separator positions apart
    assert re.search(f"工作引领力 ({cbsearch.FIELD_SEP} ){{3}}", doc.measures)
    assert "“四建”" in doc.head  # quotation marks stay in the text; the index writer drops them


def load_hook():
    spec = importlib.util.spec_from_file_location("casebook_hook_under_test", ROOT / "hooks" / "casebook_hook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_indexes_the_first_serve_build_then_rebuilds_in_the_background(monkeypatch, tmp_path):
    hook = load_hook()
    calls = []
    monkeypatch.setattr(cbsearch, "index_site", lambda site: calls.append(site) or [])
    i18n = SimpleNamespace(building=False)
    config = SimpleNamespace(site_dir=str(tmp_path), plugins={"i18n": i18n})
    hook.on_startup(command="build", dirty=False)
    hook.on_post_build(config)
    assert calls == []  # casebook build indexes its own copy
    hook.on_startup(command="serve", dirty=True)
    i18n.building = True
    hook.on_post_build(config)  # the nested English build
    assert calls == []
    i18n.building = False
    hook.on_post_build(config)  # the outer build, after mkdocs-static-i18n built every language
    assert calls == [tmp_path]  # indexed before serving starts
    assert hook._indexer.runs == 0
    hook.on_post_build(config)  # a rebuild: returns at once, indexed by the background thread
    assert hook._indexer.wait(timeout=30)
    assert hook._indexer.runs == 1 and calls == [tmp_path, tmp_path]
    assert getattr(hook.on_post_build, "mkdocs_priority", 0) < -100


def test_a_failing_index_writer_is_reported(tmp_path, monkeypatch):
    site = tmp_path / "root"
    (site / "search").mkdir(parents=True)
    facets = {"cols": [["a"], ["T"], ["M"], [0], [0]], "pl": ["P"]}
    (site / "search/facets.json").write_text(json.dumps(facets), encoding="utf-8")
    (site / "cases").mkdir()
    (site / "cases/a.html").write_text('<div class="cb-measures" data-pagefind-body>甲</div>', encoding="utf-8")
    monkeypatch.setattr(searchindex, "WRITER", tmp_path / "missing.mjs")
    with pytest.raises(cbsearch.SearchIndexError, match="index writer failed"):
        cbsearch.index_site(site)


# --- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(corpus_site, serve) -> str:
    return serve(corpus_site)


def clean(page) -> None:
    assert page.outside_requests == []
    assert page.failed_requests == []
    assert page.console_errors == []


def box_search(page, query: str) -> list[str]:
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_selector(f'[data-cb-box][data-cb-query="{query}"]', state="attached")
    return [li.get_attribute("data-id") for li in page.query_selector_all("#cb-box-results li[data-id]")]


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "cases/qingtian-qingfengxia.html",
        "regions/520000.html",
        "groups/couriers.html",
        "search/index.html",
        "en/cases/fufeng-sanjia-project.html",
    ],
)
def test_header_box_answers_on_every_kind_of_page(page, base, path):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + path, wait_until="networkidle")
    assert not any("/pagefind/" in u or "pagefind-map" in u for u in requests)  # loaded when the box is used
    assert any("search/facets.json" in u for u in requests) == (path == "search/index.html")
    ids = box_search(page, "司机之家")
    assert set(ids[:2]) == {"longli-express-logistics-party-committee", "shenzhen-drivers-home-shenkang"}
    page.click("#cb-box-results li[data-id] a")
    page.wait_for_load_state("networkidle")
    assert re.search(r"/cases/(longli-express|shenzhen-drivers)[^/]*\.html$", page.url)
    assert ("/en/" in page.url) == path.startswith("en/")
    assert not any("search_index.json" in u for u in requests)
    clean(page)


def test_keyboard_opens_navigates_and_closes_the_box(page, base):
    page.goto(base + "cases/qingtian-qingfengxia.html", wait_until="networkidle")
    checked = "document.getElementById('__search').checked"
    focused = "document.activeElement && document.activeElement.hasAttribute('data-cb-box-input')"
    assert not page.evaluate(checked)
    page.keyboard.press("s")
    assert page.evaluate(checked) and page.evaluate(focused)
    page.keyboard.press("Escape")
    assert not page.evaluate(checked) and not page.evaluate(focused)
    page.keyboard.press("/")
    assert page.evaluate(checked) and page.evaluate(focused)
    page.keyboard.type("青蜂侠")
    page.wait_for_selector('[data-cb-box][data-cb-query="青蜂侠"]', state="attached")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('li').getAttribute('data-id')") == "qingtian-qingfengxia"
    page.keyboard.press("Escape")
    assert not page.evaluate(checked)
    # Enter goes to the search page with the query
    page.keyboard.press("/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/index\.html\?q="))
    assert parse_qs(urlsplit(page.url).query)["q"] == ["青蜂侠"]
    page.wait_for_selector("#cb-search[data-cb-state=done]")
    assert page.input_value("#cb-q") == "青蜂侠"
    # typing s into a field does not open the header box
    page.focus("#cb-q")
    page.keyboard.type("s")
    assert not page.evaluate(checked)
    clean(page)


def test_phone_box_covers_the_screen(browser, base):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(base + "cases/qingtian-qingfengxia.html", wait_until="networkidle")
    pg.click("label.md-header__button[for=__search]")
    pg.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-cb-box-input')")
    pg.keyboard.type("外卖骑手")
    pg.wait_for_selector('[data-cb-box][data-cb-query="外卖骑手"]', state="attached")
    pg.wait_for_selector("body[data-md-scrolllock]", state="attached")  # Material's lock once the overlay is open
    box = pg.locator(".cb-box .md-search__inner").bounding_box()
    assert box["width"] >= 389 and box["height"] >= 800
    assert pg.locator("#cb-box-results li[data-id]").count() == 8  # 外卖配送员: 13 cases, 8 in the box
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def results(page) -> list[str]:
    return [li.get_attribute("data-id") for li in page.query_selector_all("#cb-results li.cb-result")]


def wait_done(page, query: str | None = None) -> None:
    page.wait_for_selector("#cb-search[data-cb-state=done]")
    if query is not None:
        page.wait_for_selector(f'#cb-search[data-cb-query="{query}"]')


def facet_box(page, facet: str, value: str):
    return page.locator(f'#cb-facets input[data-facet="{facet}"][value="{value}"]')


def count_of(page, facet: str, value: str) -> int:
    return int(page.locator(f'#cb-facets input[data-key="{facet}:{value}"] ~ .cb-facet__count').inner_text())


def query_of(page) -> dict[str, list[str]]:
    q = urlsplit(page.url).query
    assert q.isascii()
    return parse_qs(q)


def test_search_page_facets_narrow_with_counts_and_state_in_the_url(page, base, corpus_site):
    f = facets(corpus_site)
    page.goto(base + "search/index.html?q=%E5%BF%AB%E9%80%92%E5%91%98")  # 快递员
    wait_done(page, "快递员")
    everything = results(page)
    assert len(everything) >= 10
    status = page.inner_text("#cb-status")
    assert str(len(everything)) in status
    rows = {r[0]: r for r in facet_rows(f)}
    slugs = [g[0] for g in f["f"]["g"]]

    def has_group(cid, slug):
        return slugs.index(slug) in rows[cid][7]

    # counts per value are the number of matching results having it
    for slug in ("couriers", "delivery-riders", "truck-drivers"):
        assert count_of(page, "g", slug) == sum(has_group(c, slug) for c in everything)
    facet_box(page, "g", "truck-drivers").check()
    wait_done(page)
    trucks = results(page)
    assert trucks and all(has_group(c, "truck-drivers") for c in trucks)
    assert query_of(page)["g"] == ["truck-drivers"]
    # OR within a facet
    facet_box(page, "g", "live-streamers").check()
    wait_done(page)
    either = results(page)
    assert set(either) == {c for c in everything if has_group(c, "truck-drivers") or has_group(c, "live-streamers")}
    assert query_of(page)["g"] == ["live-streamers", "truck-drivers"]
    # AND across facets: a year
    year = f["f"]["y"][rows[either[0]][10]]
    facet_box(page, "y", year).check()
    wait_done(page)
    assert set(results(page)) == {c for c in either if f["f"]["y"][rows[c][10]] == year}
    assert query_of(page)["y"] == [year]
    # active filters are listed and removable
    chips = page.locator("#cb-chips button")
    assert chips.count() == 3
    chips.filter(has_text=year).click()
    wait_done(page)
    assert set(results(page)) == set(either)
    assert "y" not in query_of(page)
    page.click("#cb-clear")
    wait_done(page)
    assert results(page) == everything and "g" not in query_of(page)
    # sort by date: newest first; state in the URL
    page.select_option("#cb-sort", "date")
    wait_done(page)
    dated = results(page)
    assert sorted(dated) == sorted(everything)
    dates = [rows[c][3] for c in dated]
    assert dates == sorted(dates, reverse=True)
    assert query_of(page)["s"] == ["date"]
    clean(page)


def test_shared_url_restores_a_filtered_search(page, base, corpus_site):
    f = facets(corpus_site)
    url = base + "search/index.html?q=%E9%A9%BF%E7%AB%99&p=110000&g=couriers&g=delivery-riders"  # 驿站, Beijing
    page.goto(url)
    wait_done(page, "驿站")
    assert facet_box(page, "p", "110000").is_checked()
    assert facet_box(page, "g", "couriers").is_checked() and facet_box(page, "g", "delivery-riders").is_checked()
    got = results(page)
    p_index = [p[0] for p in f["f"]["p"]].index("110000")
    rows = {r[0]: r for r in facet_rows(f)}
    assert got and all(rows[c][5] == p_index for c in got)
    assert "dongcheng-warm-stations" in got
    assert page.locator("#cb-chips button").count() == 3
    clean(page)


def test_without_a_query_every_case_is_listed_and_filterable(page, base, corpus_site):
    f = facets(corpus_site)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "search/index.html")
    wait_done(page, "")
    assert page.locator("#cb-results li.cb-result").count() == min(20, len(facet_rows(f)))
    assert str(len(facet_rows(f))) in page.inner_text("#cb-status")
    assert results(page) == [r[0] for r in facet_rows(f)][:20]  # listing order: newest year first
    if len(facet_rows(f)) > 20:
        page.click("#cb-more")
        assert page.locator("#cb-results li.cb-result").count() == min(40, len(facet_rows(f)))
    # region: province, then a city within it
    guizhou = [p[0] for p in f["f"]["p"]].index("520000")
    in_guizhou = [r[0] for r in facet_rows(f) if r[5] == guizhou]
    facet_box(page, "p", "520000").check()
    wait_done(page)
    assert results(page) == in_guizhou[:20]
    zunyi = [c[0] for c in f["f"]["c"]].index("520300")
    facet_box(page, "c", "520300").check()
    wait_done(page)
    assert set(results(page)) == {r[0] for r in facet_rows(f) if r[6] == zunyi}
    assert query_of(page)["p"] == ["520000"] and query_of(page)["c"] == ["520300"]
    assert page.locator("#cb-results .cb-result__excerpt:not(.cb-result__summary)").count() == 0
    assert not any("/pagefind/" in u or "pagefind-map" in u for u in requests)  # a listing needs no engine
    clean(page)


def test_english_search_page(page, base, corpus_site):
    page.goto(base + "en/search/index.html?q=drivers%20home")
    wait_done(page, "drivers home")
    got = results(page)
    assert set(got[:2]) == {"shenzhen-drivers-home-shenkang", "longli-express-logistics-party-committee"}
    titles = page.locator("#cb-facets .cb-facet__title").all_inner_texts()
    assert "Groups served" in titles and "Years" in titles
    assert not HAN.search(page.inner_text("#cb-status") + "".join(titles))
    href = page.get_attribute("#cb-results li.cb-result a", "href")
    assert href.startswith("../cases/")
    page.fill("#cb-q", "司机之家")
    wait_done(page, "司机之家")
    assert set(results(page)) == {"shenzhen-drivers-home-shenkang", "longli-express-logistics-party-committee"}
    page.click("#cb-results li.cb-result a")
    page.wait_for_load_state()
    assert "/en/cases/" in page.url
    clean(page)


def test_chinese_search_works_without_intl_segmenter(page, base):
    page.add_init_script("delete Intl.Segmenter")
    page.goto(base + "index.html", wait_until="networkidle")
    assert page.evaluate("typeof Intl.Segmenter") == "undefined"
    assert box_search(page, "青蜂侠") == ["qingtian-qingfengxia"]
    page.fill("[data-cb-box-input]", "司機之家")
    page.wait_for_selector('[data-cb-box][data-cb-query="司機之家"]', state="attached")
    assert len(page.query_selector_all("#cb-box-results li[data-id]")) == 2
    clean(page)


def test_works_under_a_base_path(page, corpus_site, serve):
    base = serve(corpus_site.parent) + corpus_site.name + "/"
    page.goto(base + "cases/qingtian-qingfengxia.html", wait_until="networkidle")
    assert box_search(page, "青蜂侠") == ["qingtian-qingfengxia"]
    page.goto(base + "en/search/index.html?q=Green%20Hornet")
    wait_done(page, "Green Hornet")
    assert results(page) == ["qingtian-qingfengxia"]
    clean(page)


def test_excerpts_are_built_as_text_and_marks(page, base):
    page.goto(base + "search/index.html")
    wait_done(page)
    got = page.evaluate(
        """async () => {
            const engine = window.casebookSearch.engine;
            engine.caseText = () => Promise.resolve([
                '<img src=x onerror="window.pwned=1">为“外卖骑手”<b>丙</b> \u00a6 \u00a6 \u00a6 乙',
                '&amp;“外卖”骑手',
            ]);
            const parts = window.casebookSearch.parseQuery('外賣騎手', {'賣': '卖', '騎': '骑'});
            const frag = await engine.excerpt(0, parts, false);
            const div = document.createElement('div');
            div.appendChild(frag);
            document.body.appendChild(div);
            await new Promise((r) => setTimeout(r, 50));
            return [div.textContent, [...div.querySelectorAll('*')].map((e) => e.tagName + ':' + e.textContent), window.pwned === undefined];
        }"""
    )
    text, tags, safe = got
    assert safe
    # every match marked, quotation marks inside a name kept and marked with it
    assert tags == ["MARK:外卖骑手", "MARK:外卖”骑手"]
    assert text.endswith('.pwned=1">为“外卖骑手”<b>丙</b> · 乙 · &amp;“外卖”骑手')  # fields apart with " · "


def test_record_text_is_shown_literally_and_withdrawn_cases_are_not_found(page, fixture_site, serve):
    base = serve(fixture_site)
    page.goto(base + "search/index.html?q=%E5%8E%9F%E6%A0%B7%E6%98%BE%E7%A4%BA")  # 原样显示
    wait_done(page, "原样显示")
    assert results(page) == ["fx-longli-drivers-home"]
    title = page.inner_text("#cb-results .cb-result__title")
    assert "**x** ^0^" in title
    page.wait_for_function("document.querySelector('#cb-results .cb-result__excerpt mark') !== null")
    excerpt = page.locator("#cb-results .cb-result__excerpt")
    assert "原样显示" in excerpt.inner_text() and excerpt.locator("*").evaluate_all(
        "els => els.map(e => e.tagName)"
    ) == ["MARK"]
    page.fill("#cb-q", "")
    wait_done(page, "")
    assert "fx-withdrawn" not in results(page)
    assert "fx-withdrawn" not in {r[0] for r in facet_rows(facets(fixture_site))}
    clean(page)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_mkdocs_serve_builds_the_index(browser, corpus_site):
    """`mkdocs serve` on the project copy the corpus site was built from: the hook indexes it."""
    work = corpus_site.parent / f"{corpus_site.name}-project"
    assert (work / "mkdocs.yml").is_file()
    port = _free_port()
    env = dict(os.environ, CASEBOOK_CASES=str(CORPUS), CASEBOOK_ROOT=str(ROOT), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--no-livereload",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(work / "mkdocs.yml"),
        ],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            log.append(line)
            if "Serving on" in line:
                break
        assert any("Serving on" in x for x in log), "".join(log)
        assert any("search index zh" in x for x in log), "".join(log)
        context = browser.new_context()
        pg = context.new_page()
        failed = []
        pg.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        pg.goto(f"http://127.0.0.1:{port}/en/cases/qingtian-qingfengxia.html", wait_until="networkidle")
        assert box_search(pg, "Green Hornet") == ["qingtian-qingfengxia"]
        pg.goto(f"http://127.0.0.1:{port}/search/index.html?q=%E5%8F%B8%E6%9C%BA%E4%B9%8B%E5%AE%B6")
        wait_done(pg, "司机之家")
        assert len(results(pg)) == 2
        assert failed == []
        context.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


# --- labels, empty results and reading the results (issue 16) ---------------------------------------


def test_an_empty_result_offers_the_next_step(page, base, corpus_site):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    # a query nothing matches, even loosely: nearest categories and model names, browse links
    page.goto(base + "search/index.html?q=" + "外卖驿站火箭")
    wait_done(page, "外卖驿站火箭")
    assert results(page) == []
    empty = page.locator("#cb-empty")
    assert empty.is_visible()
    assert "外卖驿站火箭" in empty.locator(".cb-empty__title").inner_text()
    near = [a.get_attribute("href") for a in empty.locator(".cb-empty__near a").all()]
    assert "../groups/delivery-riders.html" in near
    assert empty.locator(".cb-empty__models a").count() >= 1
    browse = [a.get_attribute("href") for a in empty.locator(".cb-empty__browse a").all()]
    assert {"../cases/index.html", "../regions/index.html", "../groups/index.html", "../years/index.html"} <= set(
        browse
    )
    # a model name suggested searches for it
    empty.locator(".cb-empty__models a").first.click()
    wait_done(page)
    assert results(page) and not empty.is_visible()
    # filters that leave nothing: they are named, and clearing them finds the cases again
    page.goto(base + "search/index.html?q=%E9%9D%92%E8%9C%82%E4%BE%A0&p=440000")  # 青蜂侠 in Guangdong
    wait_done(page, "青蜂侠")
    assert results(page) == []
    assert "地区：广东省" in empty.locator(".cb-empty__filters").inner_text()
    assert "1" in empty.locator(".cb-empty__without").inner_text()
    empty.locator(".cb-empty__clear").click()
    wait_done(page)
    assert results(page) == ["qingtian-qingfengxia"]
    assert "p" not in query_of(page)
    assert not any(
        u.endswith(".json")
        and "/search/" in u
        and "facets" not in u
        and "lines" not in u
        and not u.endswith("/search/index.json")
        and "t2s" not in u
        for u in requests
    )
    clean(page)


def test_results_say_how_they_matched_and_why(page, base):
    page.goto(base + "search/index.html?q=%E5%A4%96%E5%8D%96%E5%B0%8F%E5%93%A5")  # 外卖小哥
    wait_done(page, "外卖小哥")
    note = page.locator("#cb-note")
    assert note.is_visible() and "外卖配送员" in note.inner_text()
    assert note.locator("a").first.get_attribute("href") == "../groups/delivery-riders.html"
    labels = page.locator("#cb-results li[data-match=category] .cb-result__match").all_inner_texts()
    assert labels and all("外卖配送员" in x for x in labels)
    # a related word points to its category without adding its cases
    page.fill("#cb-q", "口袋党员")
    wait_done(page, "口袋党员")
    assert results(page) == ["fufeng-sanjia-project"]
    assert "流动党员管理" in page.locator("#cb-note").inner_text()
    # loose matches: a line before them, a label on each
    page.fill("#cb-q", "快递员外卖员")
    wait_done(page, "快递员外卖员")
    divider = page.locator("#cb-results li.cb-results__divider")
    assert divider.count() == 1 and "近似" in divider.inner_text()
    clean(page)


def test_excerpts_read_well(page, base):
    page.goto(base + "search/index.html?q=%E5%B0%8F%E5%93%A5%E9%A9%BF%E7%AB%99")  # 小哥驿站
    wait_done(page, "小哥驿站")
    page.wait_for_function("document.querySelector('#cb-results .cb-result__excerpt mark') !== null")
    texts = page.locator("#cb-results .cb-result__excerpt").all_inner_texts()
    joined = " ".join(texts)
    assert "\u00a6" not in joined and "\u2042" not in joined
    assert "›" not in joined and "陕西省 › " not in joined  # no breadcrumb
    assert " · " in joined  # fields apart
    # a listing without a query shows each summary's first line
    page.goto(base + "search/index.html?g=taxi-drivers")
    wait_done(page, "")
    page.wait_for_function("document.querySelector('#cb-results .cb-result__summary').textContent.length > 0")
    line = page.locator("#cb-results .cb-result__summary").first.inner_text()
    assert line and len(line) <= 60
    clean(page)


def test_filters_keep_their_order_and_chips_use_the_heading_word(page, base):
    page.goto(base + "search/index.html?q=%E5%BF%AB%E9%80%92%E5%91%98")  # 快递员
    wait_done(page, "快递员")

    def order(facet):
        return [b.get_attribute("value") for b in page.locator(f'#cb-facets input[data-facet="{facet}"]').all()]

    before = order("t")
    facet_box(page, "t", before[-1]).check()
    wait_done(page)
    after = order("t")
    assert [v for v in after if v in before] == [v for v in before if v in after]
    facet_box(page, "p", "110000").check()
    wait_done(page)
    heading = page.locator('#cb-facets section[data-facet="p"] .cb-facet__title').inner_text()
    chip = page.locator("#cb-chips button", has_text="北京").locator(".cb-search__chip-facet").inner_text()
    assert chip.rstrip("：") == heading
    # the level of the body running it is a facet too, in the URL as l=
    page.goto(base + "search/index.html?l=county")
    wait_done(page, "")
    assert facet_box(page, "l", "county").is_checked()
    assert "qianyang-sijian-sili" in results(page)
    clean(page)


def test_phone_filter_panel_has_a_show_results_button(browser, base):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(base + "search/index.html?q=%E5%BF%AB%E9%80%92%E5%91%98")
    wait_done(pg, "快递员")
    pg.click(".cb-facets__summary")
    button = pg.locator(".cb-facets__show")
    assert button.is_visible()
    n = len(results(pg))
    assert button.inner_text() == f"查看 {n} 个结果"
    button.click()
    assert not pg.evaluate("document.querySelector('.cb-facets__details').open")
    context.close()


def test_language_switch_keeps_the_query_filters_and_anchor(page, base):
    page.goto(base + "search/index.html?q=%E9%A9%BF%E7%AB%99&g=couriers")
    wait_done(page, "驿站")
    page.locator('.md-select a[hreflang="en"]').dispatch_event("click")
    page.wait_for_url(re.compile(r"/en/search/index\.html\?"))
    assert query_of(page) == {"q": ["驿站"], "g": ["couriers"]}
    page.goto(base + "cases/qianyang-sijian-sili.html#measures")
    page.locator('.md-select a[hreflang="en"]').dispatch_event("click")
    page.wait_for_url(re.compile(r"/en/cases/qianyang-sijian-sili\.html#measures$"))


def test_header_box_closes_when_focus_leaves_by_keyboard(page, base):
    page.goto(base + "cases/qingtian-qingfengxia.html", wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("青蜂侠")
    page.wait_for_selector('[data-cb-box][data-cb-query="青蜂侠"]', state="attached")
    checked = "document.getElementById('__search').checked"
    assert page.evaluate(checked)
    for _ in range(12):
        page.keyboard.press("Tab")
        if not page.evaluate("document.querySelector('[data-cb-box]').contains(document.activeElement)"):
            break
    assert not page.evaluate(checked)


@pytest.mark.parametrize(
    "path", ["index.html", "search/index.html", "en/search/index.html", "cases/qingtian-qingfengxia.html"]
)
def test_one_search_landmark_per_page(page, base, path):
    page.goto(base + path)
    assert page.locator('[role="search"], search').count() == 1


def _contrast(page, selector: str) -> float:
    return page.evaluate(
        """sel => {
            const e = document.querySelector(sel);
            const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
            const bgOf = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
            const fg = rgb(getComputedStyle(e).color), bg = bgOf(e);
            const a = fg.length > 3 ? fg[3] : 1;
            const mix = fg.slice(0, 3).map((v, k) => v * a + bg[k] * (1 - a));
            const lum = c => { const l = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
            const [x, y] = [lum(mix), lum(bg.slice(0, 3))].sort((p, q) => q - p);
            return (x + 0.05) / (y + 0.05);
        }""",
        selector,
    )


def test_highlights_have_enough_contrast(page, base):
    page.goto(base + "search/index.html?q=%E9%9D%92%E8%9C%82%E4%BE%A0")
    wait_done(page, "青蜂侠")
    page.wait_for_function("document.querySelector('#cb-results .cb-result__excerpt mark') !== null")
    assert _contrast(page, "#cb-results .cb-result__excerpt mark") >= 4.5
    box_search(page, "青蜂侠")
    page.wait_for_function("document.querySelector('#cb-box-results mark') !== null")
    assert _contrast(page, "#cb-box-results mark") >= 4.5


@pytest.mark.parametrize("query", ["constructor", "__proto__", "toString 党建", "hasOwnProperty", "、、、", "x" * 300])
def test_odd_queries_are_searched_as_text(page, base, query):
    # names of JavaScript's own object properties are words like any other, not table entries
    page.goto(base + "search/index.html")
    wait_done(page)
    page.fill("#cb-q", query)
    page.wait_for_function(
        "q => { const s = document.getElementById('cb-search');"
        " return s.getAttribute('data-cb-query') === q && s.getAttribute('data-cb-state') !== 'searching'; }",
        arg=query,
    )
    assert page.get_attribute("#cb-search", "data-cb-state") == "done"
    clean(page)


def test_a_split_query_says_which_words_it_looked_for(page, base):
    page.goto(base + "search/index.html?q=" + "骑手驿站")
    wait_done(page, "骑手驿站")
    note = page.inner_text("#cb-note")
    assert "骑手驿站" in note and "“骑手”、“驿站”" in note
    labels = [li.get_attribute("data-match") for li in page.query_selector_all("#cb-results li.cb-result")]
    assert labels and set(labels) <= {"split", "category"}
    assert "分词匹配" in page.inner_text("#cb-results")
    clean(page)
