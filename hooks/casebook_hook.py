"""MkDocs hook: run the checker and generate docs/ from cases/ before every build.

A thin adapter: the generation itself (casebook.site) imports nothing from MkDocs. mkdocs-static-i18n
re-runs the build once per language, so the hook skips generation when nothing it reads has changed
since its last run in this process.

Under ``mkdocs serve`` the hook also builds the search index (casebook.search) once every language
has been built; ``casebook build`` indexes its own temporary copy (casebook/build.py), so a plain
build does not index twice.

``mkdocs serve --dirty`` (what scripts/serve.sh runs) rebuilds only the pages whose generated
Markdown changed, so an edited record shows within seconds. The hook makes that safe: it watches
only the hand-written part of docs/ (the generated part changes because the hook wrote it, not
because an editor did), gives the nav its titles without reading every page, turns MkDocs' warning
about dirty builds into a notice so strict mode still applies to real problems, and forces a full
rebuild when the theme overrides or mkdocs.yml change.

While a record is broken the preview keeps serving the last good site with the checker's problems
in a banner on every page (casebook.preview): a failed rebuild ends instead of leaving MkDocs'
server waiting for one that succeeds (which made every request hang). A deleted or renamed case's
page is deleted from the served folder, which a dirty rebuild would otherwise keep.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from casebook.compact import compact
from casebook.paths import PACKAGE
from casebook.preview import LogCapture, Preview, generated_files, remove_outputs, stale_outputs
from casebook.problems import ProblemsFound, errors
from casebook.rawblocks import restore, stash
from casebook.site import generate, generation_options

log = logging.getLogger("mkdocs.hooks.casebook")
_last: tuple | None = None
_command: str | None = None
_dirty = False
_theme_key: tuple | None = None
_indexer = None  # casebook.liveindex.BackgroundIndexer, once the first serve build is indexed
_preview: Preview | None = None  # under `mkdocs serve`, once serving: the problems banner


def _signature(*folders: Path) -> tuple:
    sig = []
    for folder in folders:
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                st = os.lstat(os.path.join(dirpath, name))
                sig.append((dirpath, name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(sig))


def on_pre_build(config) -> None:
    global _last
    if os.environ.get("CASEBOOK_PREGENERATED"):
        return  # `casebook build` has just checked and generated docs/ itself
    root = Path(config.config_file_path).resolve().parent
    cases = Path(os.environ.get("CASEBOOK_CASES", root / "cases"))
    docs = Path(config.docs_dir)
    options = generation_options((config.extra or {}).get("casebook"))
    key = (
        str(cases),
        str(docs),
        tuple(sorted(options.items())),
        _signature(cases, PACKAGE / "templates", PACKAGE / "data"),
    )
    if _command == "serve" and _dirty:
        _full_rebuild_if_theme_changed(root, docs)
    if key == _last:
        return
    before = generated_files(docs) if _command == "serve" else set()
    try:
        result = generate(cases, docs, options)
    except ProblemsFound as exc:
        found = errors(exc.problems)
        for p in found:
            log.error(str(p))
        hints = len(exc.problems) - len(found)
        if _preview is not None:
            _preview.problems_found(exc.problems)
        raise PluginError(
            f"案例记录有 {len(found)} 个问题，构建停止（上一次的网站保持不变）。"
            + (f"另有 {hints} 条提示，运行 casebook check 查看。" if hints else "")
        ) from None
    _last = key
    if before:
        # A dirty rebuild keeps every built file; those of deleted generated files must go.
        gone = remove_outputs(Path(config.site_dir), stale_outputs(before - generated_files(docs)))
        if gone:
            log.info("casebook: %d built files of removed pages deleted from the preview", gone)
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
    global _command, _dirty
    _command, _dirty = command, dirty
    if command == "serve" and dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_dirty_notice)
    elif command == "serve":
        log.info("casebook: `mkdocs serve --dirty` (as scripts/serve.sh runs it) rebuilds only the changed pages")


def _dirty_notice(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build; under strict mode that warning alone would stop it."""
    if record.levelno == logging.WARNING and record.getMessage().startswith("A 'dirty' build is being performed"):
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


def _full_rebuild_if_theme_changed(root: Path, docs: Path) -> None:
    """A dirty build re-renders only pages whose source changed; after a change to the theme
    overrides or mkdocs.yml every page must be rebuilt, so every generated page is touched."""
    global _theme_key
    st = os.stat(root / "mkdocs.yml")
    key = (*_signature(root / "overrides"), (st.st_mtime_ns, st.st_size))
    if _theme_key is not None and key != _theme_key:
        for page in docs.rglob("*.md"):
            page.touch()
        log.info("casebook: theme or configuration changed, rebuilding every page")
    _theme_key = key


def on_serve(server, config, builder):
    """Watch only the hand-written part of docs/ (assets, any page an editor adds): the generated
    part changes when the hook writes it, which must not trigger a second rebuild (cases/, the
    templates and overrides/ are watched through mkdocs.yml)."""
    from casebook.write import OWNED_DIRS, OWNED_FILES

    docs = Path(config.docs_dir)
    server.unwatch(str(docs))
    for entry in sorted(docs.iterdir()):
        if entry.name not in OWNED_DIRS and entry.name not in OWNED_FILES:
            server.watch(str(entry), recursive=entry.is_dir())
    _keep_serving_on_failure(server)
    return server


def _keep_serving_on_failure(server) -> None:
    """A rebuild that raises is never "visible" to MkDocs' server, which then holds every request
    until one succeeds. Let a failed rebuild end instead (the browsers reload), and add a banner
    with its problems to every served page until the next good one (casebook.preview)."""
    global _preview
    preview = _preview = Preview()
    server.set_app(preview.wsgi(server.get_app()))  # plain WSGI: the server is a wsgiref server
    build = server.builder

    def rebuild() -> None:
        preview.begin()
        capture = LogCapture()
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(capture)
        try:
            build()
        except Exception as exc:  # noqa: BLE001 — any failure: show it rather than hang the preview
            mkdocs_log.removeHandler(capture)
            if not capture.messages:  # not a failure MkDocs reported (e.g. a template error): as MkDocs would
                import traceback

                traceback.print_exc()
            # MkDocs' own line ("Error building page 'index.md': …") does not name the template file;
            # the exception does (a template syntax error carries its file and line).
            described = _describe(exc)
            preview.failed([*capture.messages, described] if described not in capture.messages else capture.messages)
            log.error("casebook: 预览没有更新，浏览器的每个页面顶部列出了问题；改正后保存即可。")
        else:
            preview.succeeded()
        finally:
            mkdocs_log.removeHandler(capture)

    server.builder = rebuild


def _describe(exc: Exception) -> str:
    """An exception as one line, with the file and line it names (a template syntax error does)."""
    where = ":".join(str(x) for x in (getattr(exc, "filename", None), getattr(exc, "lineno", None)) if x)
    return f"{where + ': ' if where else ''}{type(exc).__name__}: {exc}"


@event_priority(-200)  # after mkdocs-static-i18n, which sets up each language's nav (-100)
def on_nav(nav, config, files):
    """In a dirty rebuild the pages not rebuilt have no title yet; the nav (index pages only) needs them."""
    if _dirty:
        for page in nav.pages:
            if page.markdown is None:
                page.read_source(config)
    return nav


def _sitemap(config) -> None:
    """sitemap.xml with absolute URLs when CASEBOOK_SITE_URL is set, else no sitemap at all."""
    from casebook.sitemap import site_url, write_sitemap

    write_sitemap(Path(config.site_dir), site_url())


@event_priority(-200)  # after mkdocs-static-i18n (-100), whose on_post_build builds the other languages
def on_post_build(config) -> None:
    """``mkdocs serve`` only: index the whole site once the last language is built.

    The first build is indexed before serving starts; later rebuilds are indexed in the background
    (casebook.liveindex) so the edited page reloads without waiting for the index."""
    global _indexer
    i18n = config.plugins.get("i18n")
    if i18n is None or not getattr(i18n, "building", False):
        _sitemap(config)  # once every language is built (casebook/sitemap.py)
    if _command != "serve":
        return
    if i18n is not None and getattr(i18n, "building", False):
        return  # a nested per-language build; the outer build indexes when all are done
    import time

    from casebook.search import SearchIndexError, index_site

    site = Path(config.site_dir)

    def index() -> str:
        return ", ".join(f"{d['lang']} {d['cases']}" for d in index_site(site))

    if _indexer is not None:
        _indexer.request()
        return
    t0 = time.perf_counter()
    try:
        summary = index()
    except SearchIndexError as exc:
        raise PluginError(f"搜索索引失败：{exc}") from None
    log.info("casebook: search index %s (%.1fs)", summary, time.perf_counter() - t0)
    from casebook.liveindex import BackgroundIndexer

    _indexer = BackgroundIndexer(index, log)


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
