"""Write generated files into ``docs/``: only files whose content changed, and remove stale ones.

The writer writes only into a fixed set of folders (and the home page), and deletes only files it
wrote itself: every run lists the files it wrote in a manifest (``docs/.casebook-generated``, a dot
file MkDocs ignores), and the next run removes those of them it no longer generates. Any other file,
even inside the generated folders, is the editors' and is never touched.
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
    "actor-levels",
    "years",
    "sources",
    "search",
    "data",
)
HOME_PAGES = ("index.md", "index.en.md")
MANIFEST = ".casebook-generated"  # the files the last run wrote, one per line, sorted
OWNED_FILES = (*HOME_PAGES, MANIFEST)


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
        if top not in OWNED_DIRS and rel not in HOME_PAGES:
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


def _owned(rel: str) -> bool:
    """Whether ``rel`` (a manifest line) names a file the writer may have written."""
    if rel in HOME_PAGES:
        return True
    parts = rel.split("/")
    return len(parts) > 1 and parts[0] in OWNED_DIRS and all(p not in ("", ".", "..") for p in parts)


def remove_stale(docs: Path, wanted: set[str]) -> int:
    """Delete the files the previous run wrote that are no longer generated (and folders left empty),
    then record ``wanted`` as the manifest.

    Only files listed in the previous manifest are deleted; with no manifest (a first run) nothing is.
    The manifest is rewritten only when the list changed (``mkdocs serve`` sees no change otherwise);
    at 10,000 cases (70,000 files) reading and writing it takes a few hundredths of a second.
    """
    base = os.fspath(docs)
    manifest = os.path.join(base, MANIFEST)
    try:
        with open(manifest, "rb") as fh:
            before = fh.read()
    except FileNotFoundError:
        before = b""
    listed = before.decode("utf-8", "replace").split("\n") if before else []
    if listed and not listed[-1]:
        listed.pop()
    stale = [rel for rel in listed if rel not in wanted]
    if not stale and len(listed) == len(wanted):
        return 0  # the common case under `mkdocs serve`: same files, nothing to delete or record
    removed = 0
    emptied: set[str] = set()
    for rel in stale:
        if not _owned(rel):
            continue
        try:
            os.unlink(os.path.join(base, rel))
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            continue  # already gone, or something else stands there now
        removed += 1
        emptied.add(rel.rsplit("/", 1)[0] if "/" in rel else "")
    for folder in emptied:
        while "/" in folder:  # up to, not including, the generated folder itself
            try:
                os.rmdir(os.path.join(base, folder))
            except OSError:  # not empty (or already gone)
                break
            folder = folder.rsplit("/", 1)[0]
    after = ("\n".join(sorted(wanted)) + "\n").encode("utf-8") if wanted else b""
    os.makedirs(base, exist_ok=True)
    with open(manifest + ".tmp", "wb") as fh:
        fh.write(after)
    os.replace(manifest + ".tmp", manifest)
    return removed


def _has_records(folder: Path) -> bool:
    """Whether ``folder`` holds YAML records (directly or one folder down), as ``cases/`` does."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith((".yaml", ".yml")):
                    return True
                if entry.is_dir(follow_symlinks=False):
                    with os.scandir(entry.path) as inner:
                        if any(e.name.endswith((".yaml", ".yml")) for e in inner):
                            return True
    except (NotADirectoryError, FileNotFoundError, PermissionError):
        return False
    return False


def project_like(folder: Path) -> str | None:
    """Why ``folder`` looks like a project checkout (its ``.git``, ``mkdocs.yml`` or records), or None."""
    for name in (".git", "mkdocs.yml"):
        if os.path.lexists(folder / name):
            return f"其中有 {name}"
    if _has_records(folder / "cases"):
        return "其中的 cases/ 有案例记录"
    return None


def is_within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it (both resolved)."""
    return path == folder or folder in path.parents


def docs_dir_problem(docs: Path, cases: Path, root: Path) -> str | None:
    """Why generating into ``docs`` could overwrite what is not the writer's (a message), or None."""
    d, c, r, home = docs.resolve(), cases.resolve(), root.resolve(), Path.home().resolve()
    if is_within(r, d) or is_within(home, d):
        why = f"是项目文件夹 {r}（或它的上级）" if is_within(r, d) else "是主目录（或它的上级）"
    elif is_within(c, d):
        why = f"包含正在读取的案例记录 {cases}"
    else:
        found = project_like(d)
        why = f"看起来是一个项目文件夹（{found}）" if found else None
    if why is None:
        return None
    return f"拒绝生成：--docs {docs} {why}。生成的页面只能写进项目的 docs/ 文件夹，或一个新的空文件夹。"
