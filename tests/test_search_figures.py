"""The search page's figures view of its current result (casebook/searchfigures.py,
docs/assets/search-figures.js): the per-shard files in facets order, and in Chromium the view of a
filtered and of a searched result, compared with the static listing's view and its CSV, following
later results, its cap, its failures, from disk, and record text with markup staying text.

The records: the figures tests' fixture set (tests/test_figures.py: the 贵州 corpus records and some
others, indicators added, a figure whose text a spreadsheet would misread), with one 贵州 record made
hostile here: a title, a figure's subject and a second source's name holding what the checker lets
through (< >, entities, quotes); and, served in place of the built file, an entry holding tags and
scripts, as if the checker had let them through.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
import yaml

from casebook import figures, searchfigures
from casebook.casepage import printed_differs
from casebook.export import csv_record_text, csv_text_cell
from casebook.facets import rows as facet_rows
from casebook.index import build_catalog
from casebook.render import ui
from casebook.site import load_cases
from casebook.vocab import vocabulary

from .conftest import build_site, shared
from .test_browser import AXE
from .test_figures import HOSTILE_SUBJECT, make_cases
from .test_hostile_site import TITLE

HOSTILE_CASE = ("guizhou", "congjiang-ponkan-party-branch-cooperative")
# what the checker lets through (it refuses tags and event handlers): < >, entities, quotes, &
MARKUP_TITLE = TITLE
MARKUP_SUBJECT = "&lt;b&gt;粗&lt;/b&gt; 1 < 2 > 0 &amp; \"引\" '单'"
MARKUP_OUTLET = '第二报 & "引" &lt;i&gt; 1<2'
# what a file could hold if it did not: served in place of the built file
TAGS = '<img src=x onerror="window.pwned=1"><b>粗</b><script>window.pwned=2</script>'
GUIZHOU = "520000"


def make_hostile(folder: Path) -> None:
    """The figures fixture records, one 贵州 record with markup-like text in its title, in a figure's
    subject and in the name of a second source (which one figure cites: the table then has a source
    column)."""
    cases = make_cases(folder)
    path = cases / HOSTILE_CASE[0] / f"{HOSTILE_CASE[1]}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = MARKUP_TITLE
    data["numbers"][1]["subject"] = MARKUP_SUBJECT
    second = {k: v for k, v in data["sources"][0].items() if k not in ("file", "inferred", "notes")}
    second.update(key="second", publication=MARKUP_OUTLET, title="第二篇报道", date="2023-01")
    data["sources"].append(second)
    for k, n in enumerate(data["numbers"]):
        n["source"] = "second" if k == 1 else "gzrb"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)[0]  # the $schema line
    path.write_text(text + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def sf_cases(tmp_path_factory) -> Path:
    return shared(tmp_path_factory, "search-figures-cases", lambda f: make_hostile(f / "cases")) / "cases"


@pytest.fixture(scope="session")
def sf_site(tmp_path_factory, sf_cases) -> Path:
    def make(folder: Path) -> None:
        proc = build_site(sf_cases, folder / "site")
        assert proc.returncode == 0, proc.stdout + proc.stderr

    return shared(tmp_path_factory, "search-figures-site", make) / "site"


@pytest.fixture(scope="module")
def sf_base(sf_site, serve) -> str:
    return serve(sf_site.parent, "site/")  # under a sub-path


def records(cases: Path) -> dict[str, dict]:
    return {d["id"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(cases.rglob("*.yaml")))}


# --- the files --------------------------------------------------------------------------------------


def shard_files(site: Path, lang: str) -> tuple[dict, list]:
    root = (site / "en" if lang == "en" else site) / "search" / "figures"
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    entries = []
    for k in range(meta["files"]):
        entries += json.loads((root / f"{k}.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in root.iterdir()) == sorted(["meta.json"] + [f"{k}.json" for k in range(meta["files"])])
    return meta, entries


def test_files_hold_every_case_in_facets_order_with_its_row_data(sf_site, sf_cases):
    catalog = build_catalog(load_cases(sf_cases))
    by_id = {c.id: c for c in catalog.cases}
    for lang in ("zh", "en"):
        meta, entries = shard_files(sf_site, lang)
        facets = json.loads(((sf_site / "en" if lang == "en" else sf_site) / "search/facets.json").read_text("utf-8"))
        ids = [r[0] for r in facet_rows(facets)]
        assert meta["n"] == searchfigures.CASES_PER_FILE and meta["cap"] == figures.MAX_CASES == 500
        assert meta["cases"] == len(ids) == len(entries) and meta["files"] == math.ceil(len(ids) / meta["n"])
        used = {f.indicator for c in catalog.cases for f in c.numbers if f.indicator}
        assert len(used) == 6
        assert meta["i"] == [[t.slug, t.label(lang)] for t in vocabulary("indicators").terms if t.slug in used]
        assert meta["ui"] == {k: ui()[k][lang] for k in searchfigures.UI_KEYS}
        for cid, entry in zip(ids, entries, strict=True):
            case = by_id[cid]
            if not case.numbers:
                assert entry == 0
                continue
            assert entry[0] == cid
            rows = figures.row_data(case, lang)
            assert entry[1:4] == [
                rows[0]["case"],
                rows[0]["place"],
                rows[0]["source"] if len(case.sources) == 1 else "",
            ]
            assert entry[4] == (1 if lang == "en" and not case.en else 0)
            assert len(entry[5]) == len(rows)
            for f, r, got in zip(case.numbers, rows, entry[5], strict=True):
                assert got[:3] == [r["indicator"], r["subject"], r["value"]]
                assert got[3] == ("" if r["number"] is None else figures.number_attr(r["number"]))
                assert (got[5], got[6], got[7]) == (r["unit"], f.date or "", r["date"])
                assert (got[8] or got[2]) == r["printed"] and got[9] == int(printed_differs(f, lang))
                assert got[10] == ("" if len(case.sources) == 1 else r["source"])
    # record text is kept as text in the JSON (the script sets it with textContent)
    _meta, zh = shard_files(sf_site, "zh")
    hostile = next(e for e in zh if e and e[0] == HOSTILE_CASE[1])
    assert hostile[1] == MARKUP_TITLE and hostile[3] == ""
    assert [f[1] for f in hostile[5]][1] == MARKUP_SUBJECT
    assert hostile[5][1][10].startswith(MARKUP_OUTLET + " · ")


def test_files_are_the_same_bytes_from_a_second_load(sf_site, sf_cases):
    """Two builds give the same files (the whole site: tests/test_site.py); here the files depend only
    on the records: a catalog loaded again gives the built bytes."""
    files = searchfigures.figure_files(build_catalog(load_cases(sf_cases)))
    assert files == searchfigures.figure_files(build_catalog(load_cases(sf_cases)))
    for name, data in files.items():
        built = name.replace(".en.json", ".json")
        built = "en/" + built if name.endswith(".en.json") else built
        assert (sf_site / built).read_bytes() == data, name


# --- in Chromium ------------------------------------------------------------------------------------

RECORD_RESULTS = "document.addEventListener('cb:results', e => { window.cbResult = e.detail; }, true);"
# every figure row of a figures table: its data attributes (0-6), the case link (7) and each cell's
# full text but the case's: place, indicator, subject (10), value, date, source (13)
ROWS = """root => [...root.querySelectorAll('table.cb-figtable tbody tr')].map(tr => [
  tr.getAttribute('data-c'), tr.getAttribute('data-i') || '', tr.getAttribute('data-v') || '',
  tr.getAttribute('data-h') || '', tr.getAttribute('data-u'), tr.getAttribute('data-d') || '',
  tr.getAttribute('data-p') || '', tr.querySelector('a').href, ...[...tr.cells].slice(1).map(td => td.textContent)])"""


def watch(page) -> list[str]:
    """The URLs the page fetches under search/figures/, from now on."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/search/figures/" in r.url else None)
    return fetched


def wait_result(page) -> None:
    page.wait_for_selector("#cb-search[data-cb-state=done]", state="attached")


def open_view(page) -> None:
    page.locator(".cb-sfig__toggle").click()
    page.wait_for_selector("#cb-sfig-panel .cb-figview[data-cb-ready]")


def view_rows(page) -> list[list[str]]:
    return page.locator("#cb-sfig-panel").evaluate(ROWS)


def download(page, scope: str) -> tuple[str, list[list[str]]]:
    with page.expect_download() as info:
        page.locator(f"{scope} .cb-figtools__csv").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode()) and data.endswith(b"\r\n")
    return info.value.suggested_filename, list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def clean(page) -> None:
    assert page.outside_requests == [] and page.console_errors == [] and page.failed_requests == []


def test_a_filtered_result_shows_the_figures_of_its_cases_as_the_listing_does(page, sf_base, sf_cases):
    page.add_init_script(RECORD_RESULTS)
    fetched = watch(page)
    page.goto(sf_base + f"search/index.html?p={GUIZHOU}", wait_until="networkidle")
    wait_result(page)
    toggle = page.locator(".cb-sfig__toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.inner_text().startswith(ui()["sfig_open"]["zh"])
    assert fetched == []  # nothing before the view is opened
    open_view(page)
    assert toggle.get_attribute("aria-expanded") == "true"
    assert sorted(u.rsplit("/", 1)[1] for u in fetched) == ["0.json", "meta.json"]

    ids = page.evaluate("window.cbResult.ids")
    recs = records(sf_cases)
    assert sorted(ids) == sorted(i for i, d in recs.items() if d["region"]["province"]["code"] == GUIZHOU)
    rows = view_rows(page)
    # exactly the result's figures, case by case in the result's order
    assert [r[0] for r in rows] == [i for i in ids for _ in recs[i].get("numbers", [])]
    assert [r[10] for r in rows] == [n["subject"] for i in ids for n in recs[i].get("numbers", [])]
    total = len(rows)
    assert page.locator("#cb-sfig-panel .cb-figtools__shown").inner_text() == f"显示 {total} 条，共 {total} 条"
    assert (
        page.locator("#cb-sfig-panel .cb-count")
        .inner_text()
        .startswith(f"{sum(1 for i in ids if recs[i].get('numbers'))} 个有数据的案例 · {total} 条数据")
    )

    # the hostile record: its markup is text, nothing ran
    link = page.locator(f"#cb-sfig-panel tr[data-c={HOSTILE_CASE[1]}] a").first
    assert link.text_content() == MARKUP_TITLE and link.locator("*").count() == 0
    assert MARKUP_SUBJECT in [r[10] for r in rows]
    assert page.locator("#cb-sfig-panel").evaluate("p => p.querySelectorAll('img, b, i, script').length") == 0
    assert page.evaluate("window.pwned") is None
    assert any(r[13].startswith(MARKUP_OUTLET + " · ") for r in rows)  # the second source, in its row

    # the same rows, cells and CSV as the static view of the 贵州 listing
    name, csv_rows = download(page, "#cb-sfig-panel")
    assert name == "search-figures.csv"
    assert len(csv_rows) == total + 1
    # what is shown, row by row: case id, place, indicator, subject, date, source
    assert [[r[1], r[2], r[3], csv_record_text(r[4]), r[10], r[11]] for r in csv_rows[1:]] == [
        [r[0], r[8], r[9], r[10], r[12], r[13]] for r in rows
    ]
    by_subject = {r[4]: r for r in csv_rows[1:]}
    assert csv_record_text(by_subject[MARKUP_SUBJECT][4]) == MARKUP_SUBJECT
    assert by_subject[csv_text_cell(HOSTILE_SUBJECT)][4] == "'" + HOSTILE_SUBJECT  # one leading '
    assert by_subject[csv_text_cell(HOSTILE_SUBJECT)][6] == "4"
    assert csv_rows[0][:3] == ["案例", "案例编号", "地区"]
    clean(page)

    page.goto(sf_base + f"regions/{GUIZHOU}-figures.html")
    page.wait_for_selector(".cb-figview[data-cb-ready]")
    static = page.locator("article").evaluate(ROWS)
    assert sorted(static) == sorted(rows)
    _name, static_csv = download(page, "article")
    assert static_csv[0] == csv_rows[0] and sorted(static_csv[1:]) == sorted(csv_rows[1:])
    clean(page)


def view_follows(page) -> list[str]:
    """Wait until the view shows the last result's cases with figures; their ids."""
    page.wait_for_function(
        "() => { const r = window.cbResult, c = [...document.querySelectorAll('#cb-sfig-panel tbody tr')]"
        ".map(t => t.dataset.c); return c.length > 0 && c.every(x => r.ids.includes(x)); }"
    )
    return page.evaluate("window.cbResult.ids")


def test_a_searched_result_and_the_next_query(page, sf_base, sf_cases):
    recs = records(sf_cases)
    page.add_init_script(RECORD_RESULTS)
    page.goto(sf_base + "search/index.html?q=%E8%B4%B5%E5%B7%9E")  # 贵州
    page.wait_for_function("window.cbResult && window.cbResult.query === '贵州'")
    open_view(page)
    ids = page.evaluate("window.cbResult.ids")
    guizhou = {i for i, d in recs.items() if d["region"]["province"]["code"] == GUIZHOU}
    assert guizhou <= set(ids)
    assert [r[0] for r in view_rows(page)] == [i for i in ids for _ in recs[i].get("numbers", [])]

    page.fill("#cb-q", "椪柑")
    page.press("#cb-q", "Enter")
    page.wait_for_function("window.cbResult.query === '椪柑'")
    narrower = view_follows(page)
    assert HOSTILE_CASE[1] in narrower and len(narrower) < len(ids)
    assert [r[0] for r in view_rows(page)] == [i for i in narrower for _ in recs[i].get("numbers", [])]
    clean(page)


def test_the_view_follows_the_results_after_it(page, sf_base, sf_cases):
    """Filters changed while the view is open redraw it (a query's result comes through the same
    event, search.js SearchPage.update, so this holds for both)."""
    recs = records(sf_cases)
    page.add_init_script(RECORD_RESULTS)
    page.goto(sf_base + f"search/index.html?p={GUIZHOU}")
    wait_result(page)
    open_view(page)
    guizhou = page.evaluate("window.cbResult.ids")
    page.locator("#cb-sfig-panel .cb-figtools__filter").select_option("output-value")

    # one city: the view follows, and the indicator chosen before is still chosen
    page.check('#cb-facets input[data-facet=c][value="520300"]')  # 遵义市
    page.wait_for_function("window.cbResult.ids.length < " + str(len(guizhou)))
    zunyi = view_follows(page)
    assert sorted(zunyi) == sorted(i for i, d in recs.items() if d["region"].get("city", {}).get("code") == "520300")
    assert [r[0] for r in view_rows(page)] == [i for i in zunyi for _ in recs[i].get("numbers", [])]
    assert page.locator("#cb-sfig-panel .cb-figtools__filter").input_value() == "output-value"
    shown = page.locator("#cb-sfig-panel tbody tr:visible")
    assert shown.count() == 1 and shown.first.get_attribute("data-i") == "output-value"

    # every case: all of them (fewer than the cap) are in the view
    page.locator("#cb-clear").click()
    page.wait_for_function(f"window.cbResult.ids.length === {len(recs)}")
    every = view_follows(page)
    assert [r[0] for r in view_rows(page)] == [i for i in every for _ in recs[i].get("numbers", [])]

    # closed, the panel is hidden; a result without cases hides the button too
    page.locator(".cb-sfig__toggle").click()
    assert page.locator("#cb-sfig-panel").is_hidden()
    page.goto(sf_base + f"search/index.html?p={GUIZHOU}&y=1999")
    wait_result(page)
    assert page.evaluate("window.cbResult.ids") == []
    assert page.locator("#cb-sfig").is_hidden()
    clean(page)


def test_tags_in_the_file_stay_text(page, sf_base, sf_site):
    entries = json.loads((sf_site / "search/figures/0.json").read_text(encoding="utf-8"))
    k = next(k for k, e in enumerate(entries) if e and e[0] == HOSTILE_CASE[1])
    entry = entries[k]
    entry[1:4] = [TAGS, TAGS, TAGS]
    for f in entry[5]:
        f[0:3] = [TAGS, TAGS, TAGS]
        f[7:11] = [TAGS, TAGS, 1, TAGS]
    page.route("**/search/figures/0.json", lambda route: route.fulfill(json=entries))
    page.goto(sf_base + f"search/index.html?p={GUIZHOU}")
    wait_result(page)
    open_view(page)
    panel = page.locator("#cb-sfig-panel")
    assert panel.evaluate("p => p.querySelectorAll('img, b, script').length") == 0
    assert page.evaluate("window.pwned") is None
    rows = panel.locator(f"tr[data-c={HOSTILE_CASE[1]}]")
    assert rows.count() == len(entry[5])
    cells = rows.first.evaluate("tr => [...tr.cells].map(td => td.textContent)")
    assert cells[:4] == [TAGS] * 4 and cells[4].startswith(TAGS) and cells[4].endswith("“" + TAGS + "”")
    assert cells[5:] == [TAGS, TAGS]
    assert rows.first.get_attribute("data-i") == TAGS
    _name, table = download(page, "#cb-sfig-panel")
    row = next(r for r in table if r[1] == HOSTILE_CASE[1])
    assert row[0] == row[2] == row[4] == row[5] == row[9] == TAGS
    clean(page)


def test_the_english_view(page, sf_base, sf_cases):
    recs = records(sf_cases)
    page.add_init_script(RECORD_RESULTS)
    page.goto(sf_base + f"en/search/index.html?p={GUIZHOU}")
    wait_result(page)
    assert page.locator(".cb-sfig__toggle").inner_text().startswith(ui()["sfig_open"]["en"])
    open_view(page)
    heads = page.locator("#cb-sfig-panel thead th").all_inner_texts()
    assert [h.rstrip(" ⇅") for h in heads][:4] == ["Case", "Place", "Indicator", "What is counted"]
    ids = page.evaluate("window.cbResult.ids")
    rows = view_rows(page)
    assert [r[0] for r in rows] == [i for i in ids for _ in recs[i].get("numbers", [])]
    assert all("/en/cases/" in r[7] for r in rows)
    # a title without an English version is marked as Chinese
    link = page.locator(f"#cb-sfig-panel tr[data-c={HOSTILE_CASE[1]}] a").first
    assert link.get_attribute("lang") == "zh" and link.text_content() == MARKUP_TITLE
    _name, table = download(page, "#cb-sfig-panel")
    assert table[0][:3] == ["Case", "Case id", "Place"] and len(table) == len(rows) + 1
    clean(page)


def test_the_view_shows_at_most_cap_cases_and_says_so(page, sf_base, sf_site, sf_cases):
    recs = records(sf_cases)
    meta = json.loads((sf_site / "search/figures/meta.json").read_text(encoding="utf-8"))
    page.route("**/search/figures/meta.json", lambda route: route.fulfill(json={**meta, "cap": 3}))
    page.add_init_script(RECORD_RESULTS)
    page.goto(sf_base + f"search/index.html?p={GUIZHOU}")
    wait_result(page)
    open_view(page)
    ids = page.evaluate("window.cbResult.ids")
    assert len(ids) > 3
    assert list(dict.fromkeys(r[0] for r in view_rows(page))) == [i for i in ids[:3] if recs[i].get("numbers")]
    assert page.locator(".cb-sfig__cap").inner_text() == ui()["sfig_cap"]["zh"].format(n=3, total=len(ids))


def test_a_missing_file_is_reported_and_from_disk_the_view_needs_a_server(page, sf_base, sf_site, browser):
    page.route("**/search/figures/0.json", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(sf_base + f"search/index.html?p={GUIZHOU}")
    wait_result(page)
    page.locator(".cb-sfig__toggle").click()
    page.wait_for_function(
        "document.querySelector('.cb-sfig__status').textContent !== '" + ui()["sfig_loading"]["zh"] + "'"
    )
    assert page.locator(".cb-sfig__status").inner_text() == ui()["sfig_error"]["zh"]
    assert page.locator("#cb-sfig-panel table").count() == 0

    context = browser.new_context()
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    for path, lang in (("search/index.html", "zh"), ("en/search/index.html", "en")):
        pg.goto((sf_site / path).as_uri() + f"?p={GUIZHOU}")
        note = pg.locator(".cb-sfig__status")
        note.wait_for()
        assert note.inner_text() == ui()["sfig_file"][lang]
        assert pg.locator(".cb-sfig__toggle").is_hidden()
    assert outside == []
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_view_fits_desktop_and_phone(browser, sf_base, tmp_path_factory, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.goto(sf_base + f"search/index.html?p={GUIZHOU}")
    wait_result(pg)
    open_view(pg)
    shot = tmp_path_factory.mktemp("shots") / f"search-figures-{width}.png"
    pg.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    first = pg.locator("#cb-sfig-panel tbody tr").first
    if width < 720:  # each figure a compact block, no column headings
        assert pg.locator("#cb-sfig-panel thead").is_hidden()
        assert first.evaluate("tr => getComputedStyle(tr).display") == "grid"
        assert pg.locator("#cb-sfig-panel .cb-figtools__sort").is_visible()
    else:
        assert pg.locator("#cb-sfig-panel thead").is_visible()
        assert first.evaluate("tr => getComputedStyle(tr).display") == "table-row"
    # no serious accessibility violation in the view (as tests/test_browser.py checks pages)
    pg.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = pg.evaluate("async () => await axe.run('#cb-sfig', {resultTypes: ['violations']})")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:4], v["nodes"][0].get("failureSummary", ""))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()
