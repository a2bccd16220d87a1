"""MkDocs hook: run the checker and generate docs/ from cases/ before every build.

A thin adapter: the generation itself (casebook.site) imports nothing from MkDocs. mkdocs-static-i18n
re-runs the build once per language, so the hook skips generation when nothing it reads has changed
since its last run in this process.

Under ``mkdocs serve`` the hook also builds the search index (casebook.search) once every language
has been built; ``casebook build`` indexes its own temporary copy (casebook/build.py), so a plain
build does not index twice.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from casebook.compact import compact
from casebook.paths import PACKAGE
from casebook.problems import ProblemsFound
from casebook.rawblocks import restore, stash
from casebook.site import generate

log = logging.getLogger("mkdocs.hooks.casebook")
_last: tuple | None = None
_command: str | None = None
_search_cache: Path | None = None


def _signature(*folders: Path) -> tuple:
    sig = []
    for folder in folders:
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                st = os.stat(os.path.join(dirpath, name))
                sig.append((dirpath, name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(sig))


def on_pre_build(config) -> None:
    global _last
    if os.environ.get("CASEBOOK_PREGENERATED"):
        return  # `casebook build` has just checked and generated docs/ itself
    root = Path(config.config_file_path).resolve().parent
    cases = Path(os.environ.get("CASEBOOK_CASES", root / "cases"))
    docs = Path(config.docs_dir)
    options = dict((config.extra or {}).get("casebook") or {})
    if os.environ.get("CASEBOOK_EDIT_BASE"):
        options["edit_base"] = os.environ["CASEBOOK_EDIT_BASE"]
    key = (
        str(cases),
        str(docs),
        tuple(sorted(options.items())),
        _signature(cases, PACKAGE / "templates", PACKAGE / "data"),
    )
    if key == _last:
        return
    try:
        result = generate(cases, docs, options)
    except ProblemsFound as exc:
        for p in exc.problems:
            log.error(str(p))
        raise PluginError(f"案例记录有 {len(exc.problems)} 个问题，构建停止（上一次的网站保持不变）。") from None
    _last = key
    s = result.stats
    log.info(
        "casebook: %d cases; %d files written, %d unchanged, %d removed (%.1fs)",
        len(result.catalog.all_records),
        s.written,
        s.unchanged,
        s.removed,
        sum(result.timings.values()),
    )


def on_startup(command, dirty) -> None:
    global _command
    _command = command


@event_priority(-200)  # after mkdocs-static-i18n (-100), whose on_post_build builds the other languages
def on_post_build(config) -> None:
    """``mkdocs serve`` only: index the whole site once the last language is built."""
    global _search_cache
    if _command != "serve":
        return
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a nested per-language build; the outer build indexes when all are done
    import tempfile
    import time

    from casebook.search import SearchIndexError, index_site

    if _search_cache is None:
        _search_cache = Path(tempfile.mkdtemp(prefix="casebook-search-cache-"))
    t0 = time.perf_counter()
    try:
        done = index_site(Path(config.site_dir), cache=_search_cache)
    except SearchIndexError as exc:
        raise PluginError(f"搜索索引失败：{exc}") from None
    log.info(
        "casebook: search index %s (%.1fs)",
        ", ".join(f"{d['lang']} {d['cases']}{' cached' if d.get('cached') else ''}" for d in done),
        time.perf_counter() - t0,
    )


def on_post_page(output: str, page, config) -> str:
    """Drop template indentation from every page (a case page stays well under 30 KB)."""
    return compact(output)


_blocks: dict[str, list[str]] = {}


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Hand Markdown only the headings; the generated HTML blocks wait beside it."""
    text, blocks = stash(markdown)
    _blocks[page.file.src_uri] = blocks
    return text


def on_page_content(html: str, page, config, files) -> str:
    return restore(html, _blocks.pop(page.file.src_uri, []))
