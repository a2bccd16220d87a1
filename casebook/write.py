"""Write generated files into ``docs/``: only files whose content changed, and remove stale ones.

The writer owns a fixed set of folders (and the home page); anything else in ``docs/`` is the
editors' and is never touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

OWNED_DIRS = (
    "cases",
    "regions",
    "groups",
    "topics",
    "themes",
    "models",
    "years",
    "sources",
    "search",
    "data",
)
OWNED_FILES = ("index.md", "index.en.md")


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    bytes: int = 0


def write_files(docs: Path, files: dict[str, bytes]) -> WriteStats:
    """Write ``files`` (relative path → content) under ``docs``, skipping those already identical."""
    stats = WriteStats()
    made: set[str] = set()
    base = os.fspath(docs)
    for rel, content in files.items():
        top = rel.split("/", 1)[0]
        if top not in OWNED_DIRS and rel not in OWNED_FILES:
            raise ValueError(f"generated file outside the generated folders: {rel}")
        target = os.path.join(base, rel)  # plain strings: a pathlib.Path per file cost a third of the time
        stats.bytes += len(content)
        try:
            size = os.stat(target).st_size
        except FileNotFoundError:
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            # A new file: written in one go, exclusively (no reader can have an old version of it).
            with open(target, "xb") as fh:
                fh.write(content)
            stats.written += 1
            continue
        if size == len(content):
            with open(target, "rb") as fh:
                if fh.read() == content:
                    stats.unchanged += 1
                    continue
        tmp = target + ".tmp"  # a changed file is replaced whole
        with open(tmp, "wb") as fh:
            fh.write(content)
        os.replace(tmp, target)
        stats.written += 1
    return stats


def remove_stale(docs: Path, wanted: set[str]) -> int:
    """Delete generated files that are no longer generated (and folders left empty)."""
    removed = 0
    for name in OWNED_FILES:
        if name not in wanted and (docs / name).exists():
            (docs / name).unlink()
            removed += 1
    base = str(docs)
    for d in OWNED_DIRS:
        root = os.path.join(base, d)
        for dirpath, _dirs, files in os.walk(root, topdown=False):
            rel_dir = os.path.relpath(dirpath, base).replace(os.sep, "/")
            for name in files:
                if f"{rel_dir}/{name}" not in wanted:
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
            if dirpath != root and not os.listdir(dirpath):
                os.rmdir(dirpath)
    return removed
