"""The whole generation stage, with no MkDocs import: cases/ → checked records → docs/ files."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import export, facets
from .check import find_records, load_and_check
from .index import Catalog, build_catalog
from .model import Case, build_case
from .problems import ProblemsFound
from .render import LANGS, Ctx, docs_path, pages, render, ui
from .write import WriteStats, write_tree


@dataclass
class GenerateResult:
    catalog: Catalog
    stats: WriteStats
    timings: dict[str, float] = field(default_factory=dict)


def load_cases(cases_dir: Path) -> list[Case]:
    """Load and check every record; raise :class:`ProblemsFound` with all problems if any."""
    records, problems = load_and_check(find_records([cases_dir]))
    if problems:
        raise ProblemsFound(problems)
    root = cases_dir.parent
    out = []
    for rec in records:
        try:
            rel = Path(rec.path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = rec.path
        out.append(build_case(rec.data, rel))
    return out


def render_files(catalog: Catalog, cases_dir: Path, options: dict) -> dict[str, bytes]:
    """Every generated file, keyed by its path under ``docs/``."""
    files: dict[str, bytes] = {}
    for lang in LANGS:
        for page, text in pages(catalog, lang, options):
            files[docs_path(page, lang)] = text.encode("utf-8")
        page = "search/index.md"
        files[docs_path(page, lang)] = render("search.md.j2", Ctx(lang, page, catalog, options)).encode("utf-8")
    files["data/cases.json"] = export.cases_json(catalog)
    files["data/cases.csv"] = export.cases_csv(catalog)
    files["data/numbers.csv"] = export.numbers_csv(catalog)
    files["data/feed.xml"] = export.atom_feed(catalog, ui()["site_name"]["zh"])
    files.update(facets.facet_files(catalog))
    return files


def generate(cases_dir: Path, docs_dir: Path, options: dict | None = None) -> GenerateResult:
    """Check ``cases_dir`` and write the generated pages and data into ``docs_dir``."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    cases = load_cases(cases_dir)
    timings["check"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    catalog = build_catalog(cases)
    timings["index"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    files = render_files(catalog, cases_dir, options or {})
    timings["render"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    stats = write_tree(docs_dir, files)
    timings["write"] = time.perf_counter() - t3
    return GenerateResult(catalog, stats, timings)
