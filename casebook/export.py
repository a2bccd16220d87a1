"""Downloadable data: cases.json, cases.csv, numbers.csv (UTF-8 with BOM for Excel) and an Atom feed."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from .index import Catalog
from .model import Case

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


def _csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(rows)
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
]


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
            ]
        )
    return _csv(rows)


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
]


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(x)


def numbers_csv(catalog: Catalog) -> bytes:
    rows: list[list] = [NUMBER_COLUMNS]
    for c in sorted(catalog.cases, key=lambda c: c.id):
        for f in c.numbers:
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
                ]
            )
    return _csv(rows)


def atom_feed(catalog: Catalog, site_name: str, lang: str = "zh") -> bytes:
    """The newest cases as Atom. Links are relative to the feed (data/feed.xml) so any base path works."""
    newest = catalog.newest[:FEED_SIZE]
    updated = (newest[0].added if newest else "2000-01-01") + "T00:00:00Z"
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
            f"<updated>{c.added}T00:00:00Z</updated>",
            f"<author><name>{escape(c.actor_name)}</name></author>",
            f"<summary>{escape(c.summary)}</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")
