"""scripts/serve.sh takes its port from PORT (default 8000), run with stand-ins for what it calls."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake_project(tmp_path: Path) -> Path:
    """A project whose setup, checker and mkdocs only print how they were called."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "serve.sh", tmp_path / "scripts" / "serve.sh")
    (tmp_path / "scripts" / "setup.sh").write_text("echo setup\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ("casebook", "mkdocs"):
        (bin_dir / tool).write_text(f'#!/bin/sh\necho {tool} "$@"\n')
        (bin_dir / tool).chmod(0o755)
    return tmp_path


def run(project: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "PORT"} | env
    return subprocess.run(
        ["bash", str(project / "scripts" / "serve.sh")], env=environ, capture_output=True, text=True, timeout=30
    )


def test_default_port_is_8000(fake_project):
    proc = run(fake_project)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "setup",
        "casebook check",
        "mkdocs serve --dirty --dev-addr 127.0.0.1:8000 --livereload",
    ]


def test_port_comes_from_the_environment(fake_project):
    proc = run(fake_project, PORT="8123")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "mkdocs serve --dirty --dev-addr 127.0.0.1:8123 --livereload"


@pytest.mark.parametrize("port", ["http", "0", "70000", "80 81"])
def test_a_port_that_is_not_one_stops_before_anything_runs(fake_project, port):
    proc = run(fake_project, PORT=port)
    assert proc.returncode == 2 and proc.stdout == "" and "PORT" in proc.stderr
