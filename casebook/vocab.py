"""Controlled vocabularies: data files with a slug, a Chinese and an English label per term."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .paths import VOCAB

KINDS = (
    "groups",
    "topics",
    "themes",
    "relations",
    "actor-levels",
    "qualifiers",
    "model-kinds",
    "provinces",
    "units",
    "indicators",
)


@dataclass(frozen=True)
class Term:
    slug: str
    zh: str
    en: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Vocabulary:
    kind: str
    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_slug", {t.slug: t for t in self.terms})

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug  # type: ignore[attr-defined]

    def get(self, slug: str) -> Term:
        return self._by_slug[slug]  # type: ignore[attr-defined]

    def suggest(self, wrong: str) -> str | None:
        """The term an editor most likely meant: by slug, or by Chinese/English label."""
        low = wrong.lower().strip()
        for t in self.terms:
            if wrong in (t.zh, t.en) or low == t.en.lower():
                return t.slug
        for t in self.terms:
            if low and len(low) >= 4 and (low in t.slug or low in t.en.lower()):
                return t.slug
        by_slug = difflib.get_close_matches(wrong, [t.slug for t in self.terms], n=1, cutoff=0.6)
        if by_slug:
            return by_slug[0]
        for t in self.terms:
            if wrong and (wrong in t.zh or t.zh in wrong):
                return t.slug
        return None


def _load(path: Path, kind: str) -> Vocabulary:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = tuple(
        Term(str(r["slug"]), str(r["zh"]), str(r["en"]), {k: v for k, v in r.items() if k not in ("slug", "zh", "en")})
        for r in rows
    )
    return Vocabulary(kind, terms)


@cache
def vocabulary(kind: str) -> Vocabulary:
    """The vocabulary ``kind`` (one of :data:`KINDS`), read once."""
    return _load(VOCAB / f"{kind}.yaml", kind)


def province_by_code(code: str) -> Term | None:
    for t in vocabulary("provinces").terms:
        if t.extra.get("code") == code:
            return t
    return None
