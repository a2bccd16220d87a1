"""Figures you can compare: the indicator vocabulary, `indicator` and `measure` on a figure (checker,
model, generator), the figures view of every listing (rows, links, escaping) and, in Chromium, its
sorting, filtering and CSV, and the walk from the home page to all 贵州 figures in three clicks.

The records are a small fixture set made here: frozen corpus records (tests/corpus/cases) copied into
a temporary folder with indicators added, plus one figure whose text a spreadsheet would misread.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml

from casebook import figures
from casebook.check import check_paths
from casebook.export import csv_record_text, csv_text_cell
from casebook.generate import generate
from casebook.index import build_catalog
from casebook.render import index_pages
from casebook.site import load_cases
from casebook.vocab import vocabulary

from .conftest import CORPUS, build_site, shared

# (province folder, record) → {subject: (indicator, measure or None)}
TAGS = {
    ("guizhou", "congjiang-ponkan-party-branch-cooperative"): {
        "已建高标准椪柑果园面积": ("planting-area", None),
        "椪柑预计总产值": ("output-value", None),
    },
    ("guizhou", "renhuai-wuma-sanyuan-citrus-cooperative"): {
        "耙耙柑预计产值": ("output-value", None),
        "2018年起发展的耙耙柑种植面积": ("planting-area", None),
    },
    ("guizhou", "longli-express-logistics-party-committee"): {
        "集聚区吸引的新就业群体": ("workers-counted", None),
        "贵州中通快递公司党支部发展的积极分子": ("party-applicants", 4),
    },
    ("shaanxi", "fufeng-sanjia-project"): {
        "2022年上半年累计电子商务交易额": ("output-value", None),
        "党员志愿者户外服务站": ("service-stations", 8),
    },
    ("shaanxi", "qianyang-sijian-sili"): {"设立的“小哥驿站”": ("service-stations", None)},
    ("zhejiang", "qingtian-qingfengxia"): {"被带动参与志愿服务的年轻快递员": ("volunteers", None)},
}
OTHERS = [("guizhou", p.stem) for p in sorted((CORPUS / "guizhou").glob("*.yaml"))]
HOSTILE_SUBJECT = '=HYPERLINK("x")，“引号”, "逗号"'
HOSTILE = f"""  - subject: '{HOSTILE_SUBJECT}'
    indicator: service-stations
    value: 4
    unit: 个
    printed: 4个
"""


def tag(text: str, subject: str, slug: str, measure: int | None) -> str:
    line = f"  - subject: {subject}\n"
    assert text.count(line) == 1, subject
    extra = f"    indicator: {slug}\n" + (f"    measure: {measure}\n" if measure else "")
    return text.replace(line, line + extra)


def with_related(chosen: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``chosen`` and every record they relate to, and so on (no relation may dangle)."""
    where = {p.stem: p.parent.name for p in CORPUS.rglob("*.yaml")}
    found = set(chosen)
    while True:
        more = {
            (where[r["id"]], r["id"])
            for province, stem in found
            for r in yaml.safe_load((CORPUS / province / f"{stem}.yaml").read_text(encoding="utf-8")).get("related", [])
        }
        if more <= found:
            return found
        found |= more


def make_cases(folder: Path) -> Path:
    """The fixture records: the 8 贵州 corpus records, three others and those they relate to, some
    figures tagged, and one figure whose text a spreadsheet would misread."""
    for province, stem in sorted(with_related(set(TAGS) | set(OTHERS))):
        src = CORPUS / province / f"{stem}.yaml"
        text = src.read_text(encoding="utf-8")
        for subject, (slug, measure) in TAGS.get((province, stem), {}).items():
            text = tag(text, subject, slug, measure)
        if stem == "longli-express-logistics-party-committee":
            text = text.replace("numbers:\n", "numbers:\n" + HOSTILE, 1)
        (folder / province).mkdir(parents=True, exist_ok=True)
        (folder / province / src.name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def fig_cases(tmp_path_factory) -> Path:
    def make(folder: Path) -> None:
        make_cases(folder / "cases")

    return shared(tmp_path_factory, "figures-cases", make) / "cases"


@pytest.fixture(scope="session")
def fig_site(tmp_path_factory, fig_cases) -> Path:
    def make(folder: Path) -> None:
        proc = build_site(fig_cases, folder / "site", search=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    return shared(tmp_path_factory, "figures-site", make) / "site"


@pytest.fixture(scope="session")
def fig_pages(fig_cases) -> dict[str, dict[str, str]]:
    """Every index page of the fixture records, by language (rendered without MkDocs)."""
    catalog = build_catalog(load_cases(fig_cases))
    return {lang: dict(index_pages(catalog, lang, {})) for lang in ("zh", "en")}


def fixture_figures(fig_cases: Path) -> dict[str, list[dict]]:
    out = {}
    for path in sorted(fig_cases.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["id"]] = data.get("numbers", [])
    return out


# --- the vocabulary -----------------------------------------------------------------------------------


def test_every_indicator_has_labels_a_definition_and_units():
    vocab = vocabulary("indicators")
    slugs = [t.slug for t in vocab.terms]
    assert len(slugs) == len(set(slugs)) >= 10
    for t in vocab.terms:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", t.slug), t.slug
        assert t.zh and t.en, t.slug
        definition = t.extra["definition"]
        assert definition["zh"].endswith("。") and definition["en"].endswith("."), t.slug
        units = t.extra["units"]
        assert units and all(isinstance(u, str) and u for u in units), t.slug
        assert set(t.extra) == {"definition", "units"}, t.slug


# --- the checker ---------------------------------------------------------------------------------------

BASE = (CORPUS / "shaanxi" / "fufeng-sanjia-project.yaml").read_text(encoding="utf-8")
FIRST = "  - subject: 行业联合党支部通过召集令找到的物流快递链上党员\n"


def check_with(tmp_path: Path, extra: str) -> tuple[list[str], str, Path]:
    assert BASE.count(FIRST) == 1
    text = BASE.replace(FIRST, FIRST + extra)
    folder = tmp_path / "cases" / "shaanxi"
    folder.mkdir(parents=True)
    path = folder / "fufeng-sanjia-project.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_paths([path])
    # the record alone: its related cases are not there, which is not what these tests are about
    found = [f"{p.line}: {p.message}" for p in problems if not p.warning and not p.message.startswith("related ")]
    return found, text, path


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("extra", "needle", "message"),
    [
        (
            "    indicator: party-member-found\n",
            "indicator:",
            "numbers 第1项 indicator “party-member-found” 不在词表 vocab/indicators.yaml 里，"
            "是不是 party-members-found（找到或报到的党员）？",
        ),
        (
            "    indicator: 服务站点\n",
            "indicator:",
            "numbers 第1项 indicator “服务站点” 不在词表 vocab/indicators.yaml 里，是不是 service-stations（服务站点）？",
        ),
        (
            "    indicator: service-stations\n",
            "indicator:",
            "numbers 第1项 单位“名”不能用于指标 service-stations（服务站点）：这个指标的单位只能是 个、处、家、所；"
            "统计的不是这一类量时，不写 indicator",
        ),
        (
            "    measure: 9\n",
            "measure:",
            "numbers 第1项 measure 写的是 9，但本案例的 measures 只有 8 条：measure 写措施的序号，从 1 数起（1–8）",
        ),
        (
            "    measure: 0\n",
            "measure:",
            "numbers 第1项 measure 写的是 0，但本案例的 measures 只有 8 条：measure 写措施的序号，从 1 数起（1–8）",
        ),
        ("    measure: 第一条\n", "measure:", "numbers 第1项 measure 应当是整数"),
    ],
)
def test_checker_reports_a_wrong_indicator_or_measure_at_its_line(tmp_path, extra, needle, message):
    problems, text, _ = check_with(tmp_path, extra)
    assert problems == [f"{line_of(text, needle)}: {message}"]


def test_a_right_indicator_and_measure_pass(tmp_path):
    problems, _, _ = check_with(tmp_path, "    indicator: party-members-found\n    measure: 1\n")
    assert problems == []


def test_the_model_carries_indicator_and_the_measure_as_an_index(fig_cases):
    cases = {c.id: c for c in load_cases(fig_cases)}
    fufeng = cases["fufeng-sanjia-project"]
    station = next(f for f in fufeng.numbers if f.subject == "党员志愿者户外服务站")
    assert (station.indicator, station.measure) == ("service-stations", 7)  # `measure: 8` in the record
    assert fufeng.measures[station.measure].name == "建强服务阵地"
    plain = next(f for f in fufeng.numbers if f.subject == "2022年上半年网络零售额")
    assert (plain.indicator, plain.measure) == (None, None)


def test_generated_records_carry_indicators_and_measures_that_check(tmp_path):
    out = tmp_path / "gen"
    generate(60, out)
    records, problems = check_paths([out])
    assert [p for p in problems if not p.warning] == []
    vocab = vocabulary("indicators")
    tagged = linked = 0
    for rec in records:
        for n in rec.data.get("numbers", []):
            if "indicator" in n:
                tagged += 1
                assert n["unit"] in vocab.get(n["indicator"]).extra["units"]
            if "measure" in n:
                linked += 1
                assert 1 <= n["measure"] <= len(rec.data["measures"])
    assert tagged >= 20 and linked >= 20


# --- the views -----------------------------------------------------------------------------------------


def test_every_listing_with_figures_links_to_its_view_which_holds_every_figure(fig_pages, fig_cases):
    numbers = fixture_figures(fig_cases)
    for pages in fig_pages.values():
        views = {p for p in pages if figures.SUFFIX in p}
        listings = [p for p in pages if figures.SUFFIX not in p and p.split("/")[0] != "cases" and "/index" not in p]
        assert listings and views
        checked = 0
        for page in listings:
            if page == "index.md":
                continue
            listed = pages[page].split('<ul class="cb-list">', 1)[1].split("</ul>", 1)[0]  # not the nearby cases
            ids = re.findall(r'class="cb-item__title" href="(?:\.\./)?cases/([a-z0-9-]+)\.html"', listed)
            total = sum(len(numbers[i]) for i in ids)
            view = figures.figures_base(page)
            if not total:
                assert view not in pages and 'class="cb-figlink"' not in pages[page], page
                continue
            link = re.search(r'<p class="cb-figlink"><a href="([^"]+)">', pages[page]).group(1)
            if len(ids) == 1:  # one case: its own page shows its figures
                assert view not in pages and link.endswith(f"cases/{ids[0]}.html"), page
                continue
            assert link == posixpath_name(view), page
            # the view's pages (cut to stay under 30 KB), in order
            stem = view[: -len(".md")]
            parts = [view] + sorted(
                (p for p in pages if re.fullmatch(re.escape(stem) + r"-p\d+\.md", p)),
                key=lambda p: int(p.rsplit("-p", 1)[1][:-3]),
            )
            shown = "".join(pages[p] for p in parts)
            view_ids = re.findall(r'<tbody data-c="([a-z0-9-]+)">', shown)
            assert view_ids == [i for i in ids if numbers[i]], page  # the listing's cases, in its order
            slugs = re.findall(r'<tr(?: data-i="([a-z-]+)")?(?= data-)', shown)
            assert len(slugs) == total, page
            assert slugs == [n.get("indicator", "") for i in ids for n in numbers[i]], page
            checked += 1
        assert checked >= 10


def posixpath_name(page: str) -> str:
    return page.rsplit("/", 1)[-1][: -len(".md")] + ".html"


def test_the_guizhou_view_counts_filters_and_escapes(fig_pages, fig_cases):
    zh = fig_pages["zh"]["regions/520000-figures.md"]
    guizhou = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in fig_cases.glob("guizhou/*.yaml")]
    total = sum(len(d.get("numbers", [])) for d in guizhou)
    with_figures = sum(1 for d in guizhou if d.get("numbers"))
    assert f"<strong>{with_figures}</strong> 个有数据的案例 · <strong>{total}</strong> 条数据" in zh
    assert "regions/520000-figures-p2.md" not in fig_pages["zh"]  # all of 贵州 on one page
    assert '<option value="planting-area">种植面积（2）</option>' in zh
    assert '<option value="output-value">产值和销售额（2）</option>' in zh
    # record text is escaped: the quotes of the hostile subject never close an attribute or a cell
    assert "<td>=HYPERLINK(&#34;x&#34;)，“引号”, &#34;逗号&#34;</td>" in zh
    en = fig_pages["en"]["regions/520000-figures.md"]
    assert "<h1>Guizhou" in en
    assert '<option value="planting-area">Planting area (2)</option>' in en


# --- in Chromium ---------------------------------------------------------------------------------------


def largest(records: list[dict]) -> float:
    """The largest number of the records' figures (a value, a range's low end or a change's after)."""
    numbers = [
        n.get("value", n.get("low", n.get("after", {}).get("value"))) for d in records for n in d.get("numbers", [])
    ]
    return max(x for x in numbers if x is not None)


def visible_rows(page) -> int:
    return page.locator("table.cb-figtable tbody tr:visible").count()


def test_three_clicks_from_home_to_every_guizhou_figure_then_sort_filter_and_csv(fig_site, fig_cases, serve, page):
    base = serve(fig_site.parent, "site/")
    page.goto(base + "index.html")
    page.get_by_role("link", name="地区", exact=True).first.click()  # 1
    page.locator("article").get_by_role("link", name="贵州省", exact=True).first.click()  # 2
    page.locator(".cb-figlink a").click()  # 3
    assert page.url.endswith("regions/520000-figures.html")
    guizhou = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(fig_cases.glob("guizhou/*.yaml"))]
    total = sum(len(d.get("numbers", [])) for d in guizhou)
    page.wait_for_selector(".cb-figtools__shown")  # the script has turned the tables into one (under load: later)
    page.wait_for_function(
        "n => document.querySelectorAll('table.cb-figtable tbody tr').length >= n", arg=total, timeout=30_000
    )
    assert visible_rows(page) == total
    assert page.locator(".cb-figtools__shown").inner_text() == f"显示 {total} 条，共 {total} 条"

    # sort by value, largest first, with the heading button
    page.locator("th[data-k=v] button").click()
    values = [
        float(v)
        for v in page.locator("table.cb-figtable tbody tr").evaluate_all(
            "rows => rows.filter(r => r.hasAttribute('data-v')).map(r => r.getAttribute('data-v'))"
        )
    ]
    assert values == sorted(values, reverse=True) and values[0] == largest(guizhou) == 23468200
    assert page.locator("th[data-k=v]").get_attribute("aria-sort") == "descending"

    # one indicator: its rows and its chart only
    page.locator(".cb-figtools__filter").select_option("planting-area")
    assert visible_rows(page) == 2
    assert page.locator(".cb-chart:visible").count() == 1
    assert page.locator(".cb-chart:visible").get_attribute("data-i") == "planting-area"

    with page.expect_download() as info:
        page.locator(".cb-figtools__csv").click()
    assert info.value.suggested_filename == "520000-figures.csv"
    data = Path(info.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode()) and data.endswith(b"\r\n")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = [
        "案例",
        "案例编号",
        "地区",
        "可比指标",
        "统计内容",
        "数值",
        "数值（数字）",
        "区间上限",
        "单位",
        "原文写法",
        "数据时间",
        "出处",
    ]
    assert table[0] == header
    assert sorted(row[4] for row in table[1:]) == ["2018年起发展的耙耙柑种植面积", "已建高标准椪柑果园面积"]
    assert {row[6] for row in table[1:]} == {"50000", "450"} and {row[8] for row in table[1:]} == {"亩"}

    # the hostile figure: one leading ' in its text cell (docs-notes/escaping.md), read back exactly
    page.locator(".cb-figtools__filter").select_option("service-stations")
    with page.expect_download() as info:
        page.locator(".cb-figtools__csv").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == 2
    assert rows[1][4] == csv_text_cell(HOSTILE_SUBJECT) == "'" + HOSTILE_SUBJECT
    assert csv_record_text(rows[1][4]) == HOSTILE_SUBJECT
    assert rows[1][6] == "4"
    assert page.outside_requests == [] and page.console_errors == [] and page.failed_requests == []


def test_the_english_view_and_the_view_from_disk(fig_site, fig_cases, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "blob:", "data:")) else None)
    pg.goto((fig_site / "en" / "regions" / "520000-figures.html").as_uri())
    assert pg.locator(".cb-figtools").is_visible()
    pg.locator(".cb-figtools__sort").select_option(label="Value (descending)")
    first = pg.locator("table.cb-figtable tbody tr").first.get_attribute("data-v")
    guizhou = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in fig_cases.glob("guizhou/*.yaml")]
    assert float(first) == largest(guizhou)
    with pg.expect_download() as info:
        pg.locator(".cb-figtools__csv").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Case", "Case id", "Place"]
    assert float(rows[1][6]) == largest(guizhou) and rows[1][8] == "元"
    assert errors == [] and outside == []
    context.close()


def test_fixture_folder_is_a_copy(fig_cases):
    """The frozen corpus stays as it is: the tags went into the copy only."""
    corpus = (CORPUS / "guizhou" / "congjiang-ponkan-party-branch-cooperative.yaml").read_text(encoding="utf-8")
    assert "indicator:" not in corpus
    assert "indicator:" in (fig_cases / "guizhou" / "congjiang-ponkan-party-branch-cooperative.yaml").read_text(
        encoding="utf-8"
    )
