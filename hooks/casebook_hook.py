"""MkDocs hook: run the checker and generate docs/ from cases/ before every build.

A thin adapter: the generation itself (casebook.site) imports nothing from MkDocs. mkdocs-static-i18n
re-runs the build once per language, so the hook skips generation when nothing it reads has changed
since its last run in this process.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from casebook.paths import PACKAGE
from casebook.problems import ProblemsFound
from casebook.site import generate

log = logging.getLogger("mkdocs.hooks.casebook")
_last: tuple | None = None


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
    root = Path(config.config_file_path).resolve().parent
    cases = Path(os.environ.get("CASEBOOK_CASES", root / "cases"))
    docs = Path(config.docs_dir)
    options = dict((config.extra or {}).get("casebook") or {})
    if os.environ.get("CASEBOOK_EDIT_BASE"):
        options["edit_base"] = os.environ["CASEBOOK_EDIT_BASE"]
    key = (str(cases), str(docs), tuple(sorted(options.items())), _signature(cases, PACKAGE / "templates", PACKAGE / "data"))
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
        len(result.catalog.all_records), s.written, s.unchanged, s.removed, sum(result.timings.values()),
    )
