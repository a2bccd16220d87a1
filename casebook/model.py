"""Typed records, built from checked YAML data."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .divisions import LEVELS, english_name
from .vocab import province_by_code


@dataclass(frozen=True)
class Place:
    level: str
    code: str
    name: str

    @property
    def name_en(self) -> str:
        return english_name(self.name)


@dataclass(frozen=True)
class Amount:
    printed: str
    qualifier: str = "exact"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    date: str | None = None
    date_inferred: bool = False


@dataclass(frozen=True)
class Figure:
    subject: str
    unit: str
    printed: str
    amount: Amount | None = None
    before: Amount | None = None
    after: Amount | None = None
    date: str | None = None
    source: str | None = None
    en: str | None = None
    date_inferred: bool = False
    indicator: str | None = None  # a slug of vocab/indicators.yaml: what comparable quantity this counts
    # The measure it supports, as an index into Case.measures (0-based): the record's ``measure: 1``
    # (editors count from 1; the checker makes sure it exists) is 0 here.
    measure: int | None = None

    @property
    def is_change(self) -> bool:
        return self.before is not None and self.after is not None


@dataclass(frozen=True)
class Source:
    key: str
    kind: str
    title: str
    date: str
    publication: str | None = None
    issuer: str | None = None
    author: str | None = None
    issue: str | None = None
    page: str | None = None
    column: str | None = None
    url: str | None = None
    file: str | None = None
    inferred: tuple[str, ...] = ()
    notes: str | None = None

    @property
    def slug(self) -> str:
        """A stable ASCII id for the source document, shared by every case citing it."""
        ident = "\x1f".join([self.publication or self.issuer or "", self.title, self.date])
        return "s-" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:10]

    @property
    def outlet(self) -> str | None:
        return self.publication or self.issuer


@dataclass(frozen=True)
class Measure:
    topic: str
    text: str
    name: str | None = None
    source: str | None = None
    label: bool = False  # the name is the editor's label, not printed in the source


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str
    source: str | None = None


@dataclass(frozen=True)
class Relation:
    id: str
    relation: str


@dataclass(frozen=True)
class Correction:
    date: str
    text: str


@dataclass(frozen=True)
class English:
    title: str
    summary: str | None = None
    model: str | None = None
    measures: tuple[tuple[str | None, str], ...] = ()


@dataclass(frozen=True)
class Case:
    id: str
    path: str
    added: str
    title: str
    model_name: str
    theme: str
    region: tuple[Place, ...]
    actor_name: str
    actor_level: str
    groups: tuple[str, ...]
    topics: tuple[str, ...]
    summary: str
    measures: tuple[Measure, ...]
    sources: tuple[Source, ...]
    model_parts: tuple[str, ...] = ()
    numbers: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    related: tuple[Relation, ...] = ()
    started: str | None = None
    reported: str | None = None
    period_inferred: tuple[str, ...] = ()
    notes: str | None = None
    en: English | None = None
    status: str = "published"
    withdrawn_reason: str | None = None
    replaced_by: str | None = None
    model_label: bool = False  # the model's name is the editor's label (编者概括), not printed
    actor_inferred: bool = False
    corrections: tuple[Correction, ...] = ()
    updated: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def province(self) -> Place:
        return self.region[0]

    @property
    def province_slug(self) -> str:
        term = province_by_code(self.province.code)
        return term.slug if term else self.province.code

    @property
    def place(self) -> Place:
        """The most specific unit the case is about."""
        return self.region[-1]

    @property
    def year(self) -> str:
        """The year the practice was reported (or started)."""
        return (self.reported or self.started or self.added)[:4]

    @property
    def published(self) -> bool:
        return self.status == "published"

    def source(self, key: str | None) -> Source | None:
        if key is None:
            return self.sources[0] if len(self.sources) == 1 else None
        return next((s for s in self.sources if s.key == key), None)


_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019"
_FOLDED_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def tidy(text: str) -> str:
    """Undo YAML line folding between Chinese characters (``>-`` joins lines with a space)."""
    return _FOLDED_SPACE.sub("", text.strip())


def _amount(d: dict) -> Amount:
    return Amount(
        d["printed"],
        d.get("qualifier", "exact"),
        d.get("value"),
        d.get("low"),
        d.get("high"),
        d.get("date"),
        "date" in d.get("inferred", ()),
    )


def _figure(d: dict) -> Figure:
    amount = _amount(d) if any(k in d for k in ("value", "low", "high")) else None
    return Figure(
        subject=d["subject"],
        unit=d["unit"],
        printed=d["printed"],
        amount=amount,
        before=_amount(d["before"]) if "before" in d else None,
        after=_amount(d["after"]) if "after" in d else None,
        date=d.get("date"),
        source=d.get("source"),
        en=d.get("en"),
        date_inferred="date" in d.get("inferred", ()),
        indicator=d.get("indicator"),
        measure=d["measure"] - 1 if "measure" in d else None,
    )


def _source(d: dict) -> Source:
    keys = ("publication", "issuer", "author", "issue", "page", "column", "url", "file", "notes")
    return Source(
        key=d["key"],
        kind=d["kind"],
        title=d["title"],
        date=str(d["date"]),
        inferred=tuple(d.get("inferred", ())),
        **{k: d.get(k) for k in keys},
    )


def build_case(data: dict, path: str) -> Case:
    """A :class:`Case` from a record that passed the checker."""
    region = tuple(
        Place(lvl, str(data["region"][lvl]["code"]), data["region"][lvl]["name"])
        for lvl in LEVELS
        if lvl in data["region"]
    )
    period = data.get("period", {})
    en = data.get("en")
    return Case(
        id=data["id"],
        path=path,
        added=str(data["added"]),
        title=data["title"],
        model_name=data["model"].get("name") or data["model"]["label"],
        model_label="name" not in data["model"],
        model_parts=tuple(data["model"].get("parts", ())),
        theme=data["theme"],
        region=region,
        actor_name=data["actor"]["name"],
        actor_level=data["actor"]["level"],
        actor_inferred=bool(data["actor"].get("inferred")),
        groups=tuple(data["groups"]),
        topics=tuple(data["topics"]),
        summary=tidy(data["summary"]),
        measures=tuple(
            Measure(m["topic"], tidy(m["text"]), m.get("name") or m.get("label"), m.get("source"), "label" in m)
            for m in data["measures"]
        ),
        numbers=tuple(_figure(n) for n in data.get("numbers", ())),
        quotes=tuple(Quote(q["text"], q["speaker"], q.get("source")) for q in data.get("quotes", ())),
        related=tuple(Relation(r["id"], r["relation"]) for r in data.get("related", ())),
        started=period.get("started"),
        reported=period.get("reported"),
        period_inferred=tuple(period.get("inferred", ())),
        sources=tuple(_source(s) for s in data["sources"]),
        notes=tidy(data["notes"]) if data.get("notes") else None,
        en=English(
            en["title"],
            en.get("summary"),
            en.get("model"),
            tuple((m.get("name"), m["text"]) for m in en.get("measures", ())),
        )
        if en
        else None,
        status=data.get("status", "published"),
        withdrawn_reason=data.get("withdrawn_reason"),
        replaced_by=data.get("replaced_by"),
        corrections=tuple(Correction(c["date"], tidy(c["text"])) for c in data.get("corrections", ())),
        updated=data.get("updated"),
    )
