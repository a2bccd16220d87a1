"""The checker as one call: find record files, load them, validate them."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import stat
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .divisions import divisions
from .load import MAX_BYTES, RECORD_SUFFIXES, Loaded, load_file
from .problems import Problem
from .validate import check, record_problems, schema_check

_CROSS_LINES = ("model", "related")
# What the cross-record rules read of a record (validate.cross_problems): all a slim record keeps.
_CROSS_KEYS = ("id", "region", "model", "related", "replaced_by")
PARALLEL_FROM = 600  # records; below this, worker start-up costs more than it saves


def find_records(paths: Iterable[Path], root: Path | None = None) -> list[Path]:
    """Every record file under ``paths``, in a stable order; the checker and the build both use it.

    A folder is walked without following symbolic links. Besides the ``*.yaml``/``*.yml`` files it
    returns what must be reported rather than skipped: every symbolic link (to a file or a folder,
    inside or outside, dangling or not), ``.YAML``-style names and other non-regular entries with a
    record's name. :func:`casebook.load.load_file` refuses those without reading them.

    A named file or folder is taken as given, except that inside ``root`` (the ``cases/`` folder),
    a path that passes through a symbolic link is replaced by that link, so it is reported too.
    """
    found: set[Path] = set()
    for p in paths:
        link = _first_link_below(p, root)
        if link is not None:
            found.add(link)
        elif p.is_dir():
            found.update(_walk(p))
        else:
            found.add(p)
    return sorted(found)


def _walk(top: Path) -> list[Path]:
    out: list[Path] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            out.append(folder)  # reported by load_file: cannot be read
            continue
        for entry in entries:
            path = folder / entry.name
            try:
                if entry.is_symlink():
                    out.append(path)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                elif os.path.splitext(entry.name)[1].lower() in RECORD_SUFFIXES:
                    out.append(path)
            except OSError:
                out.append(path)
    return out


def _first_link_below(p: Path, root: Path | None) -> Path | None:
    """The first symbolic link among the parts of ``p`` below ``root`` (``None`` outside it)."""
    if root is None:
        return None
    here, base = Path(os.path.abspath(p)), Path(os.path.abspath(root))
    if here == base or not here.is_relative_to(base):
        return None
    for part in here.relative_to(base).parts:
        base = base / part
        if base.is_symlink():
            return base
    return None


def display_path(p: Path) -> str:
    """A path as the editor sees it: relative to the working folder where possible, with /."""
    try:
        rel = os.path.relpath(p)
    except ValueError:
        rel = str(p)
    if rel.startswith(".."):
        rel = str(p)
    return rel.replace(os.sep, "/")


# A top-level ``id:`` line, plain or quoted, with an optional comment.
_ID_LINE = re.compile(r"""^id:[ \t]*(["']?)([^\s"'#]+)\1[ \t]*(?:#.*)?$""", re.M)


def id_in_text(path: Path) -> str | None:
    """The id a record that could not be loaded declares on its top-level ``id:`` line, if any.

    Links to a record with a YAML error then still find it: its error is reported once, not once
    per record that links to it. Read like :func:`casebook.load.load_file` reads (no links
    followed, only a regular file, at most :data:`MAX_BYTES`)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        return None
    m = _ID_LINE.search(raw.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n"))
    return m.group(2) if m else None


_Checked = tuple[Loaded, tuple[list[Problem], bool], str | None]


def _load_and_check(files: list[Path], slim: bool = False) -> list[_Checked]:
    divs = divisions()
    out = []
    for f in files:
        rec = load_file(f, display_path(f))
        found = record_problems(rec, divs)
        # Only the lines cross-record checks report on travel back to the parent process.
        rec.lines = {k: v for k, v in rec.lines.items() if len(k) <= 1 or k[0] in _CROSS_LINES}
        if slim and isinstance(rec.data, dict):
            rec.data = {k: rec.data[k] for k in _CROSS_KEYS if k in rec.data}
        out.append((rec, found, id_in_text(f) if rec.data is None else None))
    return out


def _worker_load_and_check(files: list[Path], slim: bool = False) -> list[_Checked]:
    # A worker only accumulates loaded records (trees, no reference cycles) and then exits: the
    # cyclic garbage collector would only walk them again and again (a fifth of its time).
    gc.disable()
    return _load_and_check(files, slim)


def load_and_check(files: list[Path], slim: bool = False) -> tuple[list[Loaded], list[Problem]]:
    """Load and check ``files``: per-record work in worker processes when there are many.

    With ``slim``, the records returned keep only what the cross-record rules read (id, region,
    model, related, replaced_by): enough for a check, a quarter of the data to send back."""
    workers = min(os.cpu_count() or 1, 4)
    divs = divisions()  # loaded before forking, shared by the workers
    schema_check()  # compiled before forking, too
    if len(files) < PARALLEL_FROM or workers < 2:
        results = _load_and_check(files, slim)
    else:
        size = -(-len(files) // (workers * 4))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = [r for part in pool.map(_worker_load_and_check, chunks, [slim] * len(chunks)) for r in part]
    records = [rec for rec, _, _ in results]
    unloaded = {text_id for _, _, text_id in results if text_id}
    return records, check(records, divs, [found for _, found, _ in results], unloaded)


def check_paths(
    paths: Iterable[Path], context: Path | None = None, slim: bool = False
) -> tuple[list[Loaded], list[Problem]]:
    """Load and check every record under ``paths``; returns those records and their problems.

    Records under ``context`` (the whole ``cases/`` folder) are loaded too, so cross-record rules
    (duplicate ids, related ids) hold when only changed files are named, as pre-commit does.
    """
    # Absolute, never resolved: a link inside cases/ keeps its own name and is reported as a link.
    targets = [Path(os.path.abspath(t)) for t in find_records(paths, context)]
    extra: list[Path] = []
    if context is not None and context.is_dir():
        ctx = Path(os.path.abspath(context))
        if targets and all(t.is_relative_to(ctx) for t in targets):
            extra = [Path(os.path.abspath(e)) for e in find_records([ctx])]
    records, problems = load_and_check(sorted(set(targets) | set(extra)), slim)
    wanted = {display_path(t) for t in targets}
    return [r for r in records if r.path in wanted], [p for p in problems if p.path in wanted]
