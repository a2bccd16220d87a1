"""Downloadable data: cases.json, cases.csv, numbers.csv (UTF-8 with BOM for Excel) and an Atom feed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from .index import Catalog
from .model import Case, Figure

FEED_SIZE = 50


def _fields(value) -> dict:
    """A dataclass instance as a dict of its fields, one level deep (the JSON encoder, written in C,
    calls this for each nested record object and walks the lists, strings and numbers itself)."""
    fields = getattr(type(value), "__dataclass_fields__", None)
    if fields is None:
        raise TypeError(f"not JSON data: {type(value).__name__}")
    return {name: getattr(value, name) for name in fields}


def case_dict(case: Case, catalog: Catalog) -> dict:
    """A case as JSON-ready data (nested records via :func:`_fields`), with the derived fields the site shows."""
    d = _fields(case)
    d.pop("extra", None)
    d["region"] = [_fields(p) | {"name_en": p.name_en} for p in case.region]
    d["year"] = case.year
    d["model_kinds"] = list(catalog.kinds.get(case.id, ()))
    d["url"] = f"cases/{case.id}.html"
    return d


def cases_json(catalog: Catalog) -> bytes:
    data = {
        "format": "casebook-cases/1",
        "count": len(catalog.cases),
        "cases": [case_dict(c, catalog) for c in sorted(catalog.cases, key=lambda c: c.id)],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_fields)
    return (text + "\n").encode("utf-8")


# A text cell starting with one of these is read as a formula by Excel, LibreOffice or Google
# Sheets (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``, ``@SUM(…)``, ``-2+3``), or starts with a
# character some of them drop before such a formula (tab, CR). A leading ``'`` is in the set too,
# so that every apostrophe this adds can be told apart from the record's own: see csv_text_cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_text_cell(text: str) -> str:
    """A text cell of any table we write, made inert: one leading ``'`` when it starts with
    ``= + - @``, a tab, a CR, or ``'`` itself; otherwise the text unchanged.

    The one policy for every CSV (and any XLSX, written as strings) we offer, in Python and in the
    browser (docs-notes/escaping.md). Numeric columns never go through it (a value may be -3).
    To read the record text back: remove one leading ``'`` when the cell starts with one."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_record_text(cell: str) -> str:
    """The inverse of :func:`csv_text_cell` (for tests and for anyone reading our CSVs)."""
    return cell[1:] if cell.startswith("'") else cell


def _csv(rows: list[list], numeric: tuple[str, ...] = ()) -> bytes:
    """UTF-8 with BOM (Excel), CRLF; the first row names the columns, ``numeric`` those holding
    numbers, written as they are; every other cell is text and goes through :func:`csv_text_cell`."""
    header, *body = rows
    is_text = [name not in numeric for name in header]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(
        [csv_text_cell(str(v)) if text else v for v, text in zip(row, is_text, strict=True)] for row in body
    )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


CASE_COLUMNS = [
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
CASE_NUMERIC = ("year", "measures", "numbers")


def cases_csv(catalog: Catalog) -> bytes:
    rows: list[list] = [CASE_COLUMNS]
    for c in sorted(catalog.cases, key=lambda c: c.id):
        places = {p.level: p.name for p in c.region}
        rows.append(
            [
                c.id,
                c.title,
                c.model_name,
                " / ".join(c.model_parts),
                c.theme,
                places.get("province", ""),
                places.get("city", ""),
                places.get("county", ""),
                places.get("town", ""),
                places.get("village", ""),
                c.place.code,
                c.actor_name,
                c.actor_level,
                ";".join(c.groups),
                ";".join(c.topics),
                c.started or "",
                c.reported or "",
                c.year,
                c.added,
                c.summary,
                len(c.measures),
                len(c.numbers),
                " | ".join(f"{s.outlet or ''}《{s.title}》{s.date}" for s in c.sources),
                f"cases/{c.id}.html",
                "label" if c.model_label else "printed",
                "true" if c.actor_inferred else "false",
                c.updated or "",
            ]
        )
    return _csv(rows, CASE_NUMERIC)


NUMBER_COLUMNS = [
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
    # appended (columns are never reordered): the case and its place, so a row reads on its own
    "case_title",
    "province",
    "city",
    "county",
    "town",
    "village",
    "indicator",  # a slug of vocab/indicators.yaml: the comparable quantity the figure counts ("" if none)
]
NUMBER_NUMERIC = ("value", "low", "high")
PLACE_LEVELS = ("province", "city", "county", "town", "village")


def place_names(case: Case) -> list[str]:
    """The names of the case's province, city, county, town and village ("" where it has none)."""
    places = {p.level: p.name for p in case.region}
    return [places.get(level, "") for level in PLACE_LEVELS]


def figure_rows(catalog: Catalog) -> Iterator[tuple[Case, Figure]]:
    """Every figure of the published cases, in the order of numbers.csv (and of the workbook's
    数字 sheet): by case id, then as the record lists them."""
    for c in sorted(catalog.cases, key=lambda c: c.id):
        for f in c.numbers:
            yield c, f


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(x)


def numbers_csv(catalog: Catalog) -> bytes:
    rows: list[list] = [NUMBER_COLUMNS]
    for c, f in figure_rows(catalog):
        a = f.amount
        src = c.source(f.source)
        rows.append(
            [
                c.id,
                f.subject,
                _num(a.value) if a else "",
                _num(a.low) if a else "",
                _num(a.high) if a else "",
                a.qualifier if a else "change",
                f.unit,
                f.printed,
                f.before.printed if f.before else "",
                f.after.printed if f.after else "",
                f.date or "",
                src.title if src else "",
                c.place.code,
                "true" if f.date_inferred else "false",
                f.before.date or "" if f.before else "",
                f.after.date or "" if f.after else "",
                c.title,
                *place_names(c),
                f.indicator or "",
            ]
        )
    return _csv(rows, NUMBER_NUMERIC)


def atom_feed(catalog: Catalog, site_name: str, lang: str = "zh") -> bytes:
    """The newest cases as Atom. Links are relative to the feed (data/feed.xml) so any base path works."""
    # A corrected case comes back to the top: its entry's date is the correction's (``updated``).
    newest = sorted(catalog.cases, key=lambda c: (c.updated or c.added, c.id), reverse=True)[:FEED_SIZE]
    updated = ((newest[0].updated or newest[0].added) if newest else "2000-01-01") + "T00:00:00Z"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"<title>{escape(site_name)}</title>",
        "<id>tag:casebook,2026:feed</id>",
        f"<updated>{updated}</updated>",
        '<link rel="self" href="feed.xml"/>',
        '<link rel="alternate" href="../index.html"/>',
    ]
    for c in newest:
        out += [
            "<entry>",
            f"<title>{escape(c.title)}</title>",
            f"<id>tag:casebook,2026:case:{c.id}</id>",
            f'<link rel="alternate" href={quoteattr("../cases/" + c.id + ".html")}/>',
            f"<published>{c.added}T00:00:00Z</published>",
            f"<updated>{c.updated or c.added}T00:00:00Z</updated>",
            f"<author><name>{escape(c.actor_name)}</name></author>",
            f"<summary>{escape(c.summary)}</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")
