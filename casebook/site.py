"""The whole generation stage, with no MkDocs import: cases/ → checked records → docs/ files."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import export, facets, pack, searchfigures, xlsx
from .check import display_path, find_records, load_and_check
from .index import Catalog, add_related, build_catalog
from .model import Case, build_case
from .problems import ProblemsFound, errors
from .render import LANGS, Ctx, case_pages, docs_path, environment, index_pages, render, ui
from .write import WriteStats, remove_stale, write_files


@dataclass
class GenerateResult:
    catalog: Catalog
    stats: WriteStats
    timings: dict[str, float] = field(default_factory=dict)


def generation_options(configured: dict | None = None) -> dict:
    """The generation options: ``configured`` (mkdocs.yml's ``extra.casebook``), with the forge's edit
    URL from ``CASEBOOK_EDIT_BASE`` (set by CI) and the site's address from ``CASEBOOK_SITE_URL`` over it."""
    options = dict(configured or {})
    if os.environ.get("CASEBOOK_EDIT_BASE"):
        options["edit_base"] = os.environ["CASEBOOK_EDIT_BASE"]
    # The published site's address (set by the publish workflow; intranet copies have none): the
    # case pages' "cite this case" gives it instead of the address the reader happens to use.
    if os.environ.get("CASEBOOK_SITE_URL"):
        options["site_url"] = os.environ["CASEBOOK_SITE_URL"]
    return options


def load_cases(cases_dir: Path) -> list[Case]:
    """Load and check every record; raise :class:`ProblemsFound` with all problems if any."""
    enabled = gc.isenabled()
    gc.disable()  # thousands of acyclic record trees arriving: nothing for the collector to find
    try:
        files = find_records([cases_dir])
        records, problems = load_and_check(files)
        if errors(problems):
            raise ProblemsFound(problems)
        # Each record's path as the project names it (cases/…), for its edit link; as shown to the
        # editor when the folder lies outside the project.
        folder = os.path.relpath(os.path.realpath(cases_dir), os.path.realpath(cases_dir.parent))
        if folder.startswith(".."):
            return [build_case(rec.data, rec.path) for rec in records]
        project_path = {display_path(f): f"{folder}/{f.relative_to(cases_dir).as_posix()}" for f in files}
        return [build_case(rec.data, project_path[rec.path]) for rec in records]
    finally:
        if enabled:
            gc.enable()


def language_files(catalog: Catalog, lang: str, options: dict) -> dict[str, bytes]:
    """Every page of one language, keyed by its path under ``docs/``."""
    return index_files(catalog, lang, options) | case_files(catalog, lang, options)


def index_files(catalog: Catalog, lang: str, options: dict) -> dict[str, bytes]:
    """The pages of one language that do not need related cases."""
    files = {docs_path(page, lang): text.encode("utf-8") for page, text in index_pages(catalog, lang, options)}
    page = "search/index.md"
    files[docs_path(page, lang)] = render("search.md.j2", Ctx(lang, page, catalog, options)).encode("utf-8")
    files.update(pack.pack_pages(catalog, lang, options))  # search/pack.md: the meeting pack
    return files


def case_files(catalog: Catalog, lang: str, options: dict) -> dict[str, bytes]:
    return {docs_path(page, lang): text.encode("utf-8") for page, text in case_pages(catalog, lang, options)}


def data_files(catalog: Catalog) -> dict[str, bytes]:
    """The downloads and the search facets."""
    files = {
        "data/cases.json": export.cases_json(catalog),
        "data/cases.csv": export.cases_csv(catalog),
        "data/numbers.csv": export.numbers_csv(catalog),
        "data/feed.xml": export.atom_feed(catalog, ui()["site_name"]["zh"]),
        xlsx.XLSX_PATH: xlsx.cases_xlsx(catalog),
    }
    files.update(facets.facet_files(catalog))
    files.update(searchfigures.figure_files(catalog))  # search/figures/: the result's figures view
    files[pack.UI_SCRIPT] = pack.ui_script()  # the print and meeting-pack labels
    files.update(xlsx.guide_pages(catalog))  # data/fields.md: the 字段说明 beside the downloads
    return files


_JOB: tuple | None = None  # (catalog, options, docs, related queue) inherited by forked workers
PARALLEL_FROM = 300  # cases; below this a second process costs more than it saves


def _render_and_write(lang: str) -> tuple[set[str], WriteStats]:
    catalog, options, docs, related = _JOB  # type: ignore[misc]
    files = index_files(catalog, lang, options)  # meanwhile the parent finds the related cases
    handed = related.get()
    if handed is None:
        raise RuntimeError("finding related cases failed")
    with open(handed, "rb") as fh:
        ids = pickle.load(fh)
    catalog.related = {cid: [(catalog.by_id[o], rel) for o, rel in pairs] for cid, pairs in ids.items()}
    files |= case_files(catalog, lang, options)
    return set(files), write_files(docs, files)


def _data_and_write() -> tuple[set[str], WriteStats]:
    catalog, _options, docs, _related = _JOB  # type: ignore[misc]
    files = data_files(catalog)
    return set(files), write_files(docs, files)


def generate(cases_dir: Path, docs_dir: Path, options: dict | None = None) -> GenerateResult:
    """Check ``cases_dir`` and write the generated pages and data into ``docs_dir``.

    With many cases each language is rendered and written by its own process (the catalog is
    shared by fork, not copied); the result does not depend on it.
    """
    options = options or {}
    timings: dict[str, float] = {}
    environment.cache_clear()  # templates edited under `mkdocs serve` take effect on the next build
    enabled = gc.isenabled()
    gc.disable()  # records and indexes: many objects, no garbage (load_cases says more)
    try:
        t0 = time.perf_counter()
        cases = load_cases(cases_dir)
        timings["check"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        catalog = build_catalog(cases, related=False)
        timings["index"] = time.perf_counter() - t1
        # The records and the catalog live until the end: frozen, the garbage collector stops
        # walking them during rendering (and forked workers do not copy them by touching them).
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    t2 = time.perf_counter()
    try:
        stats, wanted = _render_all(catalog, options, docs_dir)
    finally:
        gc.unfreeze()
    timings["render and write"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    stats.removed = remove_stale(docs_dir, wanted)
    timings["clean"] = time.perf_counter() - t3
    return GenerateResult(catalog, stats, timings)


def _render_all(catalog: Catalog, options: dict, docs_dir: Path) -> tuple[WriteStats, set[str]]:
    """Data downloads and every page of each language.

    With many cases: three forked workers (the downloads; each language) start at once, while this
    process finds the related cases; a language worker renders its index pages, then receives the
    related cases (as ids, through a queue) and renders the case pages."""
    global _JOB
    results: list[tuple[set[str], WriteStats]] = []
    if len(catalog.all_records) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        fork = multiprocessing.get_context("fork")
        related = fork.SimpleQueue()
        _JOB = (catalog, options, docs_dir, related)
        try:
            with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(1 + len(LANGS), mp_context=fork) as pool:
                futures = [pool.submit(_data_and_write)] + [pool.submit(_render_and_write, lang) for lang in LANGS]
                handed = None
                try:
                    add_related(catalog)
                    ids = {cid: [(o.id, rel) for o, rel in pairs] for cid, pairs in catalog.related.items()}
                    handed = os.path.join(tmp, "related.pickle")
                    with open(handed, "wb") as fh:
                        pickle.dump(ids, fh, protocol=pickle.HIGHEST_PROTOCOL)
                finally:
                    # Only a file name goes through the pipe: it fits the pipe's buffer, so this
                    # never waits for a worker to read it (one that failed never will).
                    for _ in LANGS:
                        related.put(handed)  # None tells the workers to stop
                results = [f.result() for f in futures]
        finally:
            _JOB = None
    else:
        add_related(catalog)
        common = data_files(catalog)
        results.append((set(common), write_files(docs_dir, common)))
        for lang in LANGS:
            files = language_files(catalog, lang, options)
            results.append((set(files), write_files(docs_dir, files)))
    stats, wanted = WriteStats(), set()
    for names, part in results:
        wanted |= names
        stats.written += part.written
        stats.unchanged += part.unchanged
        stats.bytes += part.bytes
    return stats, wanted
