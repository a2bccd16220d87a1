"""The Excel workbook ``data/cases.xlsx``: the cases (案例), their figures (数字) and a field guide (字段说明).

What the CSV downloads hold, for people rather than programs: Chinese headers and sheet names, Chinese
labels from the vocabularies (多于, 街道、乡镇) and the provenance words (原文印出 / 编者概括 / 推断).
Sheet names, headers, column order and the guide's texts come from ``data/fields.yaml``.

- Text is written as strings, never as formulas, URLs or numbers (docs-notes/escaping.md): every text
  cell through :func:`_text` (``write_string``), with the workbook's automatic conversions off as well.
  A string cell is never evaluated, so it does not get the CSV's leading ``'``.
- Ids, division codes and dates are text cells in the text number format (``@``): a 12-digit code
  never becomes 3.30681E+11, and 2022 / 2022-12 / 2022-12-06 stay as written (never padded to a day).
- Numbers (``write_number``) only in the value / low / high columns and the two counts.
- Reproducible: the document's created/modified time is ``SOURCE_DATE_EPOCH`` (else the newest case's
  date), the zip entries carry xlsxwriter's fixed 1980-01-01 stamp, so one commit gives one file.
"""

from __future__ import annotations

import gc
import io
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

import xlsxwriter
import yaml
from markupsafe import Markup, escape
from xlsxwriter.worksheet import Worksheet

from .export import figure_rows
from .index import Catalog
from .model import Case, Figure
from .paths import DATA
from .render import LANGS, Ctx, citation, docs_path, render, ui
from .vocab import vocabulary

XLSX_PATH = "data/cases.xlsx"
# Workbook options: no string is ever turned into a formula, a link or a number behind our back.
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
NUMBER_KINDS = ("number",)
WIDTHS = {"title": 36, "case_title": 36, "summary": 60, "sources": 60, "model": 20, "actor": 24, "subject": 24}
WIDTH_BY_KIND = {"code": 14, "date": 11, "number": 10, "vocab": 16, "provenance": 10, "text": 14}


@cache
def field_guide() -> dict:
    """``data/fields.yaml``: the sheets, their columns (field, kind, zh/en header, about) and notes."""
    return yaml.safe_load((DATA / "fields.yaml").read_text(encoding="utf-8"))


def column_key(column: dict) -> str:
    """A column's name in the code: its CSV field, or ``key`` for a column only the workbook has."""
    return column.get("field") or column["key"]


PROVENANCE_KEYS = {"printed": "prov_printed", "label": "editor_label", "inferred": "inferred"}  # in ui.yaml


def provenance_word(kind: str) -> str:
    """原文印出 / 编者概括 / 推断 (docs-notes/provenance.md), from ui.yaml."""
    return ui()[PROVENANCE_KEYS[kind]]["zh"]


def workbook_time(catalog: Catalog) -> datetime:
    """The workbook's time stamp: ``SOURCE_DATE_EPOCH`` when set (``casebook build`` and CI set it),
    else the newest case's date, so a build from the same records gives the same bytes either way."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            return datetime.fromtimestamp(int(raw), UTC)
        except ValueError as exc:
            raise ValueError(f"SOURCE_DATE_EPOCH 不是整数：{raw!r}") from exc
    newest = max((c.updated or c.added for c in catalog.cases), default="2000-01-01")
    return datetime.fromisoformat(newest).replace(tzinfo=UTC)


# --- values of each column -----------------------------------------------------------------------


def _label(kind: str, slug: str) -> str:
    return vocabulary(kind).get(slug).zh


def _date_provenance(value: str | None, inferred: bool) -> str:
    if not value:
        return ""
    return provenance_word("inferred" if inferred else "printed")


def _place(case: Case, level: str) -> str:
    """The name of the case's unit at ``level`` ("" where it has none), as cases.csv and numbers.csv give it."""
    for p in case.region:
        if p.level == level:
            return p.name
    return ""


def _sources(case: Case) -> str:
    return "".join(citation(s, "zh") for s in case.sources)


CaseValue = Callable[[Case], "str | float | None"]
CASE_VALUES: dict[str, CaseValue] = {
    "id": lambda c: c.id,
    "title": lambda c: c.title,
    "model": lambda c: c.model_name,
    "model_provenance": lambda c: provenance_word("label" if c.model_label else "printed"),
    "model_parts": lambda c: "；".join(c.model_parts),
    "theme": lambda c: _label("themes", c.theme),
    "province": lambda c: _place(c, "province"),
    "city": lambda c: _place(c, "city"),
    "county": lambda c: _place(c, "county"),
    "town": lambda c: _place(c, "town"),
    "village": lambda c: _place(c, "village"),
    "region_code": lambda c: c.place.code,
    "actor": lambda c: c.actor_name,
    "actor_inferred": lambda c: provenance_word("inferred" if c.actor_inferred else "printed"),
    "actor_level": lambda c: _label("actor-levels", c.actor_level),
    "groups": lambda c: "、".join(_label("groups", g) for g in c.groups),
    "topics": lambda c: "、".join(_label("topics", t) for t in c.topics),
    "started": lambda c: c.started or "",
    "started_provenance": lambda c: _date_provenance(c.started, "started" in c.period_inferred),
    "reported": lambda c: c.reported or "",
    "reported_provenance": lambda c: _date_provenance(c.reported, "reported" in c.period_inferred),
    "year": lambda c: c.year,
    "added": lambda c: c.added,
    "updated": lambda c: c.updated or "",
    "summary": lambda c: c.summary,
    "measures": lambda c: len(c.measures),
    "numbers": lambda c: len(c.numbers),
    "sources": _sources,
    "url": lambda c: f"cases/{c.id}.html",
}


def _qualifier(c: Case, f: Figure) -> str:
    if f.amount is None:
        return ui()["change"]["zh"]
    return _label("qualifiers", f.amount.qualifier)


def _source_title(c: Case, f: Figure) -> str:
    src = c.source(f.source)
    return src.title if src else ""


FigureValue = Callable[[Case, Figure], "str | float | None"]
FIGURE_VALUES: dict[str, FigureValue] = {
    "case_id": lambda c, f: c.id,
    "case_title": lambda c, f: c.title,
    "province": lambda c, f: _place(c, "province"),
    "city": lambda c, f: _place(c, "city"),
    "county": lambda c, f: _place(c, "county"),
    "town": lambda c, f: _place(c, "town"),
    "village": lambda c, f: _place(c, "village"),
    "region_code": lambda c, f: c.place.code,
    "subject": lambda c, f: f.subject,
    "indicator": lambda c, f: _label("indicators", f.indicator) if f.indicator else "",
    "printed": lambda c, f: f.printed,
    "value": lambda c, f: f.amount.value if f.amount else None,
    "low": lambda c, f: f.amount.low if f.amount else None,
    "high": lambda c, f: f.amount.high if f.amount else None,
    "qualifier": _qualifier,
    "unit": lambda c, f: f.unit,
    "date": lambda c, f: f.date or "",
    "date_inferred": lambda c, f: _date_provenance(f.date, f.date_inferred),
    "before_printed": lambda c, f: f.before.printed if f.before else "",
    "before_date": lambda c, f: (f.before.date or "") if f.before else "",
    "after_printed": lambda c, f: f.after.printed if f.after else "",
    "after_date": lambda c, f: (f.after.date or "") if f.after else "",
    "source_title": _source_title,
}


def value_pairs(column: dict) -> list[tuple[str, str]]:
    """The values a vocabulary or provenance column can hold: (Chinese, as the workbook writes it; English)."""
    values = column.get("values")
    if column["kind"] == "provenance":
        return [(ui()[PROVENANCE_KEYS[v]]["zh"], ui()[PROVENANCE_KEYS[v]]["en"]) for v in values]
    if column["kind"] == "vocab":
        pairs = [(t.zh, t.en) for t in vocabulary(values).terms]
        return pairs + [(ui()["change"]["zh"], ui()["change"]["en"])] if values == "qualifiers" else pairs
    return []


def value_labels(column: dict) -> list[str]:
    """The values a vocabulary or provenance column can hold, as the workbook writes them."""
    return [zh for zh, _en in value_pairs(column)]


# --- writing -------------------------------------------------------------------------------------


class _Writer:
    """One workbook's formats and the one way text gets into a cell."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.text = book.add_format({"num_format": 49, "valign": "top"})  # 49: the built-in text format "@"
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.plain = book.add_format()

    def string(self, ws: Worksheet, row: int, col: int, text: str, fmt=None) -> None:
        """A text cell, always a string (never a formula, link or number).

        xlsxwriter writes a string that starts with ``<r>`` and ends with ``</r>`` into the shared
        strings as XML as it stands (its rich-string form); such text is written as a two-run rich
        string instead, which escapes it and reads back the same."""
        fmt = fmt or self.text
        if not text:
            return
        if text.startswith("<r>") and text.endswith("</r>"):
            status = ws.write_rich_string(row, col, text[:1], self.plain, text[1:], fmt)
        else:
            status = ws.write_string(row, col, text, fmt)
        if status != 0:  # -2: longer than Excel's 32,767 characters (the checker's caps keep records far below)
            raise ValueError(f"xlsx: cannot write cell ({row}, {col}) of {ws.name}: status {status}")

    def number(self, ws: Worksheet, row: int, col: int, value: float | None) -> None:
        if value is not None:
            ws.write_number(row, col, value)


def _table(w: _Writer, ws: Worksheet, columns: list[dict], rows: list[list]) -> None:
    for col, column in enumerate(columns):
        w.string(ws, 0, col, column["zh"], w.header)
        width = WIDTHS.get(column_key(column), WIDTH_BY_KIND[column["kind"]])
        ws.set_column(col, col, width)
    numeric = [column["kind"] in NUMBER_KINDS for column in columns]
    for r, values in enumerate(rows, 1):
        for col, value in enumerate(values):
            if numeric[col]:
                w.number(ws, r, col, value)
            else:
                w.string(ws, r, col, value)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def case_table(catalog: Catalog) -> tuple[list[dict], list[list]]:
    """The 案例 sheet: its columns (from fields.yaml) and a row per published case, by id."""
    columns = _sheet("cases")["columns"]
    getters = [CASE_VALUES[column_key(col)] for col in columns]
    return columns, [[get(c) for get in getters] for c in sorted(catalog.cases, key=lambda c: c.id)]


def figure_table(catalog: Catalog) -> tuple[list[dict], list[list]]:
    """The 数字 sheet: its columns and a row per figure, in the order of numbers.csv."""
    columns = _sheet("numbers")["columns"]
    getters = [FIGURE_VALUES[column_key(col)] for col in columns]
    return columns, [[get(c, f) for get in getters] for c, f in figure_rows(catalog)]


def _sheet(key: str) -> dict:
    return next(s for s in field_guide()["sheets"] if s["key"] == key)


def guide_rows() -> list[list[str]]:
    """The 字段说明 sheet's table: sheet, header, CSV file and field, meaning, values."""
    rows = []
    only = ui()["fields_workbook_only"]["zh"]
    for sheet in field_guide()["sheets"]:
        for column in sheet["columns"]:
            field = f"{sheet['csv']}：{column['field']}" if column.get("field") else only
            rows.append([sheet["zh"], column["zh"], field, column["about"]["zh"], "、".join(value_labels(column))])
    return rows


def _guide(w: _Writer, ws: Worksheet) -> None:
    guide = field_guide()
    w.string(ws, 0, 0, guide["guide"]["zh"], w.title)
    row = 1
    for sheet in guide["sheets"]:
        w.string(ws, row, 0, f"{sheet['zh']}：{sheet['about']['zh']}", w.plain)
        row += 1
    for note in guide["notes"]:
        w.string(ws, row, 0, note["zh"], w.plain)
        row += 1
    row += 1
    ui_ = ui()
    headers = [
        ui_[k]["zh"] for k in ("fields_sheet", "fields_header", "fields_field", "fields_meaning", "fields_values")
    ]
    for col, (text, width) in enumerate(zip(headers, (8, 16, 26, 60, 40), strict=True)):
        w.string(ws, row, col, text, w.header)
        ws.set_column(col, col, width)
    for values in guide_rows():
        row += 1
        for col, text in enumerate(values):
            w.string(ws, row, col, text)


def cases_xlsx(catalog: Catalog, when: datetime | None = None) -> bytes:
    """The workbook's bytes: 案例, 数字, 字段说明. ``when``: the file's time (default :func:`workbook_time`)."""
    enabled = gc.isenabled()
    gc.disable()  # ~1 million small acyclic cell objects: nothing for the collector to find (a third of the time)
    try:
        return _workbook(catalog, when)
    finally:
        if enabled:
            gc.enable()


def _workbook(catalog: Catalog, when: datetime | None) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    book.set_properties(
        {
            "title": ui()["site_name"]["zh"],
            "created": when or workbook_time(catalog),
        }
    )
    w = _Writer(book)
    for key, table in (("cases", case_table), ("numbers", figure_table)):
        ws = book.add_worksheet(_sheet(key)["zh"])
        _table(w, ws, *table(catalog))
    _guide(w, book.add_worksheet(field_guide()["guide"]["zh"]))
    book.close()
    return out.getvalue()


GUIDE_PAGE = "data/fields.md"
# A run of Chinese in an English text (原文印出, 9.46亿元, “；”): digits and full-width marks inside it belong to it.
_ZH_RUN = re.compile(
    r"[0-9.]*[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”]+(?:[0-9.]+[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”]+)*"
)


def zh_runs(text: str) -> Markup:
    """``text`` HTML-escaped, with each run of Chinese in ``<span lang="zh">`` (an English page quoting the
    workbook's Chinese words: browsers and screen readers then read them as Chinese)."""
    out, pos = [], 0
    for m in _ZH_RUN.finditer(text):
        out += [escape(text[pos : m.start()]), Markup('<span lang="zh">'), escape(m.group()), Markup("</span>")]
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def guide_pages(catalog: Catalog) -> dict[str, bytes]:
    """The 字段说明 page in each language (``data/fields.md``, ``data/fields.en.md``), from the texts the
    workbook's guide sheet uses."""
    return {
        docs_path(GUIDE_PAGE, lang): render(
            "fields.md.j2",
            Ctx(lang, GUIDE_PAGE, catalog, {}),
            guide=field_guide(),
            value_pairs=value_pairs,
            zh_runs=zh_runs,
        ).encode("utf-8")
        for lang in LANGS
    }
