"""The documented build: check, build into a temporary folder, index for search, then swap into place.

MkDocs empties ``site_dir`` before it knows whether a strict build will fail, so the site is never
built in place: a failed build (bad record, strict-mode warning, search indexing error) leaves the
previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .paths import project_root


def source_date_epoch(root: Path) -> str:
    """The last commit's time (for reproducible dates), or a fixed date outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if out:
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return "1767225600"  # 2026-01-01


def run_mkdocs(config: Path, out_dir: Path, env: dict[str, str]) -> int:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out_dir)]
    return subprocess.run(cmd, env=env).returncode


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames (the old copy is removed afterwards)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def safe_build(site_dir: Path, config: Path, search: bool = True) -> int:
    """Build the whole site into ``site_dir``; return a process exit code."""
    from .problems import ProblemsFound, report
    from .site import generate, generation_options

    root = config.resolve().parent
    cases = Path(os.environ.get("CASEBOOK_CASES", root / "cases"))
    t0 = time.perf_counter()
    try:
        # Check and generate docs/ here, once; MkDocs then trusts it (CASEBOOK_PREGENERATED).
        result = generate(cases, root / "docs", generation_options())
    except ProblemsFound as exc:
        report(exc.problems)
        print(f"构建停止：{site_dir} 保持不变。", file=sys.stderr)
        return 1
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(project_root()))
    env["CASEBOOK_CASES"] = str(cases)
    env["CASEBOOK_PREGENERATED"] = "1"
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    try:
        t1 = time.perf_counter()
        if run_mkdocs(config.resolve(), tmp, env) != 0:
            print(f"MkDocs 构建失败：{site_dir} 保持不变。", file=sys.stderr)
            return 1
        t2 = time.perf_counter()
        if search:
            from .search import index_site

            index_site(tmp)
        t3 = time.perf_counter()
        swap_in(tmp, site_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    print(
        f"网站已构建：{site_dir}（{len(result.catalog.all_records)} 个案例；检查与生成 {t1 - t0:.1f}s，"
        f"MkDocs {t2 - t1:.1f}s，搜索索引 {t3 - t2:.1f}s）"
    )
    return 0
