"""The drafter's word lists (casebook/draft/rules.yaml), read once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES = Path(__file__).resolve().parent / "rules.yaml"


@cache
def rules() -> dict[str, Any]:
    """The rules file as a mapping."""
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def words(key: str) -> list[str]:
    """One list of the rules file, longest word first (so a regex alternation prefers it)."""
    return sorted((str(w) for w in rules()[key]), key=len, reverse=True)


# Rules written while looking at one particular source can be switched off by name, so the evaluation
# can draft that source without them (leave-one-source-out; see casebook/draft/evaluate.py).
_OFF: set[str] = set()


def enabled(rule: str) -> bool:
    """Whether the named rule is on (all are, except inside :func:`without`)."""
    return rule not in _OFF


class without:  # noqa: N801 (used as a context manager: ``with without({"drill"}): …``)
    """Switch the named rules off for the duration of a ``with`` block."""

    def __init__(self, names: set[str]) -> None:
        self.names = set(names)
        self.before: set[str] = set()

    def __enter__(self) -> None:
        self.before = set(_OFF)
        _OFF.update(self.names)

    def __exit__(self, *exc: object) -> None:
        _OFF.clear()
        _OFF.update(self.before)
