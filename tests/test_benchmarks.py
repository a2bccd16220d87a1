"""The benchmarks live in casebook/benchmarks/, which the core package never imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "casebook"


def core_modules() -> list[str]:
    return sorted("casebook." + p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")) + [
        "casebook.__main__"
    ]


def test_core_modules_never_import_the_benchmarks():
    modules = core_modules()
    assert "casebook.build" in modules and "casebook.cli" in modules and len(modules) > 20
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    if name == 'casebook.__main__':\n"
        "        importlib.util.find_spec(name)\n"
        "        continue\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('casebook'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(proc.stdout)
    assert set(modules) - {"casebook.__main__"} <= set(loaded)
    assert [m for m in loaded if m.startswith("casebook.benchmarks")] == []


def test_no_core_module_names_the_benchmarks():
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "casebook.benchmarks" not in text and ".benchmarks import" not in text, path.name
    assert not (PACKAGE / "bench.py").exists() and not (PACKAGE / "benchsearch.py").exists()


def test_the_entry_points_reach_the_benchmarks():
    for script in ("bench_build.py", "bench_search.py"):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / script), "--help"], cwd=ROOT, capture_output=True, text=True
        )
        assert proc.returncode == 0 and "usage" in proc.stdout.lower(), proc.stderr
    serve = (ROOT / "scripts" / "bench_serve.py").read_text(encoding="utf-8")
    assert "from casebook.benchmarks.build import serve_reload" in serve
