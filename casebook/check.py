"""The checker as one call: find record files, load them, validate them."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .divisions import divisions
from .load import Loaded, load_file
from .problems import Problem
from .validate import check, record_problems, schema_check

_CROSS_LINES = ("model", "related")
PARALLEL_FROM = 600  # records; below this, worker start-up costs more than it saves


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


def _load_and_check(files: list[Path]) -> list[tuple[Loaded, tuple[list[Problem], bool]]]:
    divs = divisions()
    out = []
    for f in files:
        rec = load_file(f, display_path(f))
        found = record_problems(rec, divs)
        # Only the lines cross-record checks report on travel back to the parent process.
        rec.lines = {k: v for k, v in rec.lines.items() if len(k) <= 1 or k[0] in _CROSS_LINES}
        out.append((rec, found))
    return out


def _worker_load_and_check(files: list[Path]) -> list[tuple[Loaded, tuple[list[Problem], bool]]]:
    # A worker only accumulates loaded records (trees, no reference cycles) and then exits: the
    # cyclic garbage collector would only walk them again and again (a fifth of its time).
    gc.disable()
    return _load_and_check(files)


def load_and_check(files: list[Path]) -> tuple[list[Loaded], list[Problem]]:
    """Load and check ``files``: per-record work in worker processes when there are many."""
    workers = min(os.cpu_count() or 1, 4)
    divs = divisions()  # loaded before forking, shared by the workers
    schema_check()  # compiled before forking, too
    if len(files) < PARALLEL_FROM or workers < 2:
        results = _load_and_check(files)
    else:
        size = -(-len(files) // (workers * 4))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = [r for part in pool.map(_worker_load_and_check, chunks) for r in part]
    records = [rec for rec, _ in results]
    return records, check(records, divs, [found for _, found in results])


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
    records, problems = load_and_check(sorted(set(targets) | set(extra)))
    wanted = {display_path(t) for t in targets}
    return [r for r in records if r.path in wanted], [p for p in problems if p.path in wanted]
