"""Scale benchmark of the whole build, stage by stage, beside a bare MkDocs Material baseline.

For each N: generate N records (``casebook generate``), then time, each in its own process with its
peak memory (``/usr/bin/time``): the checker, the generation of ``docs/``, MkDocs per language (split
at mkdocs-static-i18n's "Building 'en'" line) and the search index (made from the generated pages,
as the build makes it), then the documented build itself (``casebook build``, which runs the index
beside MkDocs: its wall time is the total). The baseline is plain Material on the same number of
pages (nav holding only the index page) plus Pagefind, the usual static search. Not a test: numbers
depend on the machine; the README records them with the machine.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..paths import project_root

PY = sys.executable
TIME = "/usr/bin/time"


@dataclass
class Stage:
    seconds: float
    peak_mib: float


@dataclass
class Run:
    n: int
    stages: dict[str, Stage] = field(default_factory=dict)
    pages: int = 0
    files: int = 0
    site_mib: float = 0.0
    largest_case_kib: float = 0.0
    largest_index_kib: float = 0.0
    largest_index: str = ""
    baseline: dict[str, Stage] = field(default_factory=dict)
    build: Stage | None = None  # the documented build, casebook build (index beside MkDocs)


def timed(
    cmd: list[str], env: dict | None = None, cwd: Path | None = None, on_line=None
) -> tuple[Stage, list[tuple[float, str]]]:
    """Run ``cmd`` under /usr/bin/time; return its wall time, peak RSS and its stderr lines with times."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [TIME, "-f", "@@PEAK %M", *cmd], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines: list[tuple[float, str]] = []
    peak = 0.0
    assert proc.stderr is not None
    for line in proc.stderr:
        now = time.perf_counter() - start
        if line.startswith("@@PEAK"):
            peak = int(line.split()[1]) / 1024
        else:
            lines.append((now, line.rstrip()))
    code = proc.wait()
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}):\n" + "\n".join(t for _, t in lines[-30:]))
    return Stage(time.perf_counter() - start, peak), lines


def project_copy(dest: Path) -> Path:
    """A copy of the project to build in, with its own (empty) generated part of docs/ and cases/."""
    root = project_root()
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(
        root,
        dest,
        ignore=shutil.ignore_patterns(
            ".venv",
            "node_modules",
            "site",
            ".git",
            ".pytest_cache",
            "__pycache__",
            "bench-out",
            "build",
            "cases",
            ".site.*",
        ),
    )
    (dest / "node_modules").symlink_to(root / "node_modules")
    (dest / "cases").mkdir()
    from ..write import OWNED_DIRS

    for d in OWNED_DIRS:
        shutil.rmtree(dest / "docs" / d, ignore_errors=True)
    return dest


def set_aside(path: Path, work: Path) -> None:
    """Move a previous run's output out of the way; :func:`main` deletes it after measuring.

    Deleting tens of thousands of files right before a stage slows that stage's own writes for
    seconds on this machine's disk (ext4 mounted with ``discard``): up to 3× the generation time."""
    if path.exists():
        trash = work / ".trash"
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}-{time.monotonic_ns()}")


def measure(n: int, work: Path) -> Run:
    run = Run(n)
    for old in (f"project-{n}", f"site-{n}", f"baseline-{n}"):
        set_aside(work / old, work)
    cases = work / f"cases-{n}"
    if not cases.exists():
        subprocess.run([PY, "-m", "casebook", "generate", str(n), str(cases)], check=True, stdout=subprocess.DEVNULL)
    proj = project_copy(work / f"project-{n}")
    env = dict(os.environ, CASEBOOK_CASES=str(cases), CASEBOOK_ROOT=str(project_root()), NO_MKDOCS_2_WARNING="1")
    env.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    run.stages["check"], _ = timed([PY, "-m", "casebook", "check", str(cases)], env=env)
    gen = [PY, "-m", "casebook", "docs", "--cases", str(cases), "--docs", str(proj / "docs")]
    run.stages["generation"], _ = timed(gen, env=env)
    site = work / f"site-{n}"
    shutil.rmtree(site, ignore_errors=True)
    stage, lines = timed(
        [PY, "-m", "mkdocs", "build", "--strict", "-f", str(proj / "mkdocs.yml"), "-d", str(site)],
        env=dict(env, CASEBOOK_PREGENERATED="1"),
    )
    split = next((t for t, text in lines if "Building 'en' documentation" in text), stage.seconds / 2)
    run.stages["mkdocs zh"] = Stage(split, stage.peak_mib)
    run.stages["mkdocs en"] = Stage(stage.seconds - split, stage.peak_mib)
    staged = work / f"index-{n}"
    set_aside(staged, work)
    run.stages["search index"], _ = timed(
        [PY, "-m", "casebook.search", "--docs", str(proj / "docs"), str(staged)], env=env
    )
    documented = work / f"built-{n}"
    set_aside(documented, work)
    cmd = [PY, "-m", "casebook", "build", "--site-dir", str(documented), "--config", str(proj / "mkdocs.yml")]
    run.build, _ = timed(cmd, env=env, cwd=proj)
    files = [p for p in site.rglob("*") if p.is_file()]
    run.files = len(files)
    run.site_mib = sum(p.stat().st_size for p in files) / 2**20
    html = [p for p in files if p.suffix == ".html"]
    run.pages = len(html)
    run.largest_case_kib = (
        max(p.stat().st_size for p in html if p.parent.name == "cases" and not p.name.startswith("index")) / 1024
    )
    others = [p for p in html if p.parent.name != "cases" or p.name.startswith("index")]
    biggest = max(others, key=lambda p: p.stat().st_size)
    run.largest_index, run.largest_index_kib = biggest.relative_to(site).as_posix(), biggest.stat().st_size / 1024
    run.baseline = baseline(run.pages, work / f"baseline-{n}", cases)
    return run


BASELINE_CONFIG = """site_name: Baseline
use_directory_urls: false
theme:
  name: material
  font: false
plugins: []
nav:
  - index.md
"""


def baseline(pages: int, folder: Path, cases: Path) -> dict[str, Stage]:
    """Plain Material on ``pages`` Markdown pages of case-like text (nav: the index only), plus Pagefind."""
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(cases.rglob("*.yaml"))[:200]]
    rng = random.Random(1)
    (docs / "index.md").write_text("# Baseline\n\nPages.\n", encoding="utf-8")
    for i in range(pages - 1):
        body = re.sub(r"[#*_`<>\[\]]", " ", rng.choice(texts))
        paras = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
        (docs / "p" / f"{i}.md").write_text(f"# 页面 {i}\n\n## 概述\n\n{paras}\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1767225600")
    out: dict[str, Stage] = {}
    out["mkdocs"], _ = timed(
        [PY, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(folder / "site")], env=env
    )
    out["pagefind"], _ = timed([PY, "-m", "pagefind", "--site", str(folder / "site"), "--quiet"], env=env)
    return out


def build_total(r: Run) -> float:
    """The documented build's wall time (``casebook build``: generation, which checks every record,
    then MkDocs with the search index made beside it); the stages' sum for runs made before."""
    if r.build is not None:
        return r.build.seconds
    return sum(x.seconds for k, x in r.stages.items() if k != "check")


def report(runs: list[Run]) -> str:
    lines = [
        "| N | check (alone) | check + generation | MkDocs zh | MkDocs en | search index (alone; beside MkDocs in the build) | total (casebook build) | peak MiB | baseline (MkDocs + Pagefind) | ratio | pages | files | site MiB | largest case page | largest other page |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        s = r.stages
        total = build_total(r)
        base = sum(x.seconds for x in r.baseline.values())
        peak = max(x.peak_mib for x in [*s.values(), *([r.build] if r.build else [])])
        lines.append(
            f"| {r.n:,} | {s['check'].seconds:.1f} s | {s['generation'].seconds:.1f} s | {s['mkdocs zh'].seconds:.1f} s | "
            f"{s['mkdocs en'].seconds:.1f} s | {s['search index'].seconds:.1f} s | **{total:.1f} s** | {peak:.0f} | "
            f"{base:.1f} s | {total / base:.2f}× | {r.pages:,} | {r.files:,} | {r.site_mib:.0f} | {r.largest_case_kib:.1f} KiB | "
            f"{r.largest_index_kib:.0f} KiB ({r.largest_index}) |"
        )
    if len(runs) >= 2:
        a, b = runs[-2], runs[-1]
        ta, tb = build_total(a), build_total(b)
        own = b.stages["generation"].seconds
        lines.append("")
        lines.append(
            f"{b.n:,} / {a.n:,}: time ×{tb / ta:.1f}, files ×{b.files / a.files:.1f}, size ×{b.site_mib / a.site_mib:.1f}; "
            f"our own stage (check + generation) is {100 * own / tb:.0f}% of the total at {b.n:,}; total vs baseline {tb / sum(x.seconds for x in b.baseline.values()):.2f}×."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Build benchmark at several N (writes bench-out/build.md)")
    parser.add_argument("ns", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--work", default=str(project_root() / "bench-out"))
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    runs = []
    for n in args.ns:
        print(f"N = {n:,} …", file=sys.stderr, flush=True)
        runs.append(measure(n, work))
        print(report(runs), flush=True)
    shutil.rmtree(work / ".trash", ignore_errors=True)
    text = report(runs)
    (work / "build.md").write_text(text + "\n", encoding="utf-8")
    (work / "build.json").write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")
    return 0


def serve_reload(n: int, work: Path, dirty: bool = True) -> tuple[float, float | None]:
    """Seconds from saving an edited record to the served page showing the edit, under ``mkdocs serve``
    (``--dirty``, as scripts/serve.sh runs it, unless ``dirty`` is false), and until the server logs
    that the search index caught up (None if it does not within a minute). The server's log is
    kept in ``work``/serve-N.log."""
    import urllib.request

    cases = work / f"cases-{n}"
    if not cases.exists():
        subprocess.run([PY, "-m", "casebook", "generate", str(n), str(cases)], check=True, stdout=subprocess.DEVNULL)
    proj = project_copy(work / f"serve-{n}")
    # The records live in the project's own cases/, which `mkdocs serve` watches.
    shutil.rmtree(proj / "cases")
    shutil.copytree(cases, proj / "cases")
    cases = proj / "cases"
    env = dict(os.environ, CASEBOOK_ROOT=str(project_root()), NO_MKDOCS_2_WARNING="1")
    port = 8000 + (os.getpid() % 1000) + 100
    cmd = [PY, "-m", "mkdocs", "serve", "-f", str(proj / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    if dirty:
        cmd.append("--dirty")
    record = sorted(cases.rglob("*.yaml"))[0]
    case_id = record.stem
    url = f"http://127.0.0.1:{port}/cases/{case_id}.html"
    original = record.read_text(encoding="utf-8")
    logfile = open(work / f"serve-{n}{'' if dirty else '-full'}.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(cmd, env=env, stdout=logfile, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 900
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(1)
        time.sleep(3)  # let the first serve build settle
        marker = f"基准标记{int(time.time())}"
        record.write_text(original.replace("summary: ", f"summary: {marker}", 1), encoding="utf-8")
        logged = logfile.tell()
        start = time.perf_counter()
        shown = None
        while shown is None and time.perf_counter() - start < 300:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if marker in resp.read().decode("utf-8"):
                        shown = time.perf_counter() - start
            except OSError:
                pass
            if shown is None:
                time.sleep(0.2)
        if shown is None:
            raise RuntimeError("the edit never showed up")
        logfile.flush()
        log = Path(logfile.name)
        while time.perf_counter() - start < shown + 60:
            with open(log, encoding="utf-8") as fh:
                fh.seek(logged)
                if "search index updated" in fh.read():
                    return shown, time.perf_counter() - start
            time.sleep(0.2)
        return shown, None
    finally:
        record.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()
        logfile.close()
