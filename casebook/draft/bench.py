"""Time ``casebook draft`` on a long article, process start and data loading included."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def long_article(sources: list[Path], chars: int = 20_000) -> str:
    """The sources' texts one after another, cut at ``chars`` characters (at a paragraph end)."""
    text = ""
    while len(text) < chars:
        for p in sources:
            text += p.read_text(encoding="utf-8") + "\n\n"
    cut = text.rfind("\n\n", 0, chars + 1)
    return text[: cut if cut > chars // 2 else chars]


def run(article: str, runs: int = 5, command: tuple[str, ...] | None = None) -> list[tuple[float, float]]:
    """(wall, CPU) seconds per run of ``casebook draft`` (a fresh process each time, writing the drafts).

    CPU time (user + system of the process) is printed beside wall time: on a machine shared with other
    work, wall time mostly measures the others."""
    command = command or (str(Path(sys.executable).with_name("casebook")), "draft")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(article, encoding="utf-8")
        for i in range(runs):
            out = Path(tmp) / f"out{i}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([*command, str(path), "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            times.append((wall, cpu))
    return times


def report(times: list[tuple[float, float]], chars: int, label: str = "casebook draft") -> str:
    walls = [w for w, _ in times]
    cpus = [c for _, c in times]
    load = os.getloadavg()[0]
    return (
        f"{label}, {chars} characters, {len(times)} runs: wall median {statistics.median(walls):.2f} s "
        f"(best {min(walls):.2f} s), CPU median {statistics.median(cpus):.2f} s (best {min(cpus):.2f} s); "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
