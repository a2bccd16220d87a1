"""The checker as one call: find record files, load them, validate them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .divisions import divisions
from .load import Loaded, load_file
from .problems import Problem
from .validate import check


def find_records(paths: Iterable[Path]) -> list[Path]:
    """Every ``*.yaml`` file under ``paths`` (files are taken as given), in a stable order."""
    found: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found.update(q for q in p.rglob("*.yaml") if q.is_file())
            found.update(q for q in p.rglob("*.yml") if q.is_file())
        else:
            found.add(p)
    return sorted(found)


def display_path(p: Path) -> str:
    """A path as the editor sees it: relative to the working folder where possible, with /."""
    try:
        rel = os.path.relpath(p)
    except ValueError:
        rel = str(p)
    if rel.startswith(".."):
        rel = str(p)
    return rel.replace(os.sep, "/")


def load_all(files: Iterable[Path]) -> list[Loaded]:
    return [load_file(f, display_path(f)) for f in files]


def check_paths(paths: Iterable[Path], context: Path | None = None) -> tuple[list[Loaded], list[Problem]]:
    """Load and check every record under ``paths``; returns those records and their problems.

    Records under ``context`` (the whole ``cases/`` folder) are loaded too, so cross-record rules
    (duplicate ids, related ids) hold when only changed files are named, as pre-commit does.
    """
    targets = [t.resolve() for t in find_records(paths)]
    extra: list[Path] = []
    if context is not None and context.is_dir():
        ctx = context.resolve()
        if targets and all(t.is_relative_to(ctx) for t in targets):
            extra = [e.resolve() for e in find_records([ctx])]
    records = load_all(sorted(set(targets) | set(extra)))
    problems = check(records, divisions())
    wanted = {display_path(t) for t in targets}
    return [r for r in records if r.path in wanted], [p for p in problems if p.path in wanted]
