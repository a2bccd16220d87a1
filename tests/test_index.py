"""casebook.index and the generation around it, on generated records: related cases found later
equal related cases found at once, and the multi-process generation writes exactly what the
single-process one writes.

The generated records take their text from the frozen records of tests/corpus, not from cases/, so
they stay the same whatever editors add."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import generate, site
from casebook.index import add_related, build_catalog
from casebook.write import MANIFEST

from .conftest import CORPUS, digest


def generate_records(count: int, out: Path) -> int:
    """``casebook generate``'s records, their text drawn from tests/corpus rather than cases/."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(generate, "project_root", lambda: CORPUS.parent)
        return generate.generate(count, out)


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "cases"
    generate_records(400, out)
    return out


def test_related_found_later_are_the_same(records):
    cases = site.load_cases(records)
    at_once = build_catalog(cases)
    later = build_catalog(cases, related=False)
    assert later.related == {}
    add_related(later)
    assert {k: [(o.id, r) for o, r in v] for k, v in later.related.items()} == {
        k: [(o.id, r) for o, r in v] for k, v in at_once.related.items()
    }
    assert sum(len(v) for v in at_once.related.values()) > 400  # most cases have related cases


def test_parallel_generation_writes_what_the_sequential_one_writes(records, tmp_path, monkeypatch):
    monkeypatch.setattr(site, "PARALLEL_FROM", 10**9)
    one = site.generate(records, tmp_path / "one")
    monkeypatch.setattr(site, "PARALLEL_FROM", 1)
    two = site.generate(records, tmp_path / "two")
    assert digest(tmp_path / "one") == digest(tmp_path / "two")
    pages = [k for k in digest(tmp_path / "one") if k != MANIFEST]  # besides the list of what was written
    assert one.stats.written == two.stats.written == len(pages)
    # Run again over its own output: nothing is rewritten.
    again = site.generate(records, tmp_path / "two")
    assert again.stats.written == 0 and again.stats.unchanged == two.stats.written


def test_docs_command_generates_and_reports_problems_by_line(tmp_path):
    """`casebook docs` (the build's first step, run as the console script runs it: output flushed,
    then a hard exit)."""
    import os
    import shutil
    import subprocess
    import sys

    from .conftest import FIXTURES, ROOT

    env = dict(os.environ, CASEBOOK_ROOT=str(ROOT))
    cmd = [
        sys.executable,
        "-m",
        "casebook",
        "docs",
        "--cases",
        str(FIXTURES / "cases"),
        "--docs",
        str(tmp_path / "docs"),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "写入" in proc.stdout and (tmp_path / "docs/cases/index.md").is_file()
    bad = tmp_path / "cases"
    shutil.copytree(FIXTURES / "cases", bad)
    record = sorted(bad.rglob("*.yaml"))[0]
    record.write_text(
        record.read_text(encoding="utf-8").replace("\ntheme: ", "\ntheme: no-such-theme-", 1), encoding="utf-8"
    )
    cmd[cmd.index("--cases") + 1] = str(bad)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert f"cases/{record.relative_to(bad).as_posix()}:" in proc.stderr


def test_a_failing_worker_stops_the_generation(tmp_path):
    """A language worker that fails before it takes the related cases must not leave the main
    process waiting to hand them over: the error comes out, in seconds. (With 1,000 cases the
    related cases no longer fit in a pipe's buffer, which is where a hand-over would wait.)"""
    import subprocess
    import sys

    records = tmp_path / "cases"
    generate_records(1000, records)
    script = f"""
from pathlib import Path
from casebook import site
def broken(*args):
    raise RuntimeError("template broke")
site.index_files = broken
site.PARALLEL_FROM = 1
site.generate(Path({str(records)!r}), Path({str(tmp_path / "docs")!r}))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "template broke" in proc.stderr
