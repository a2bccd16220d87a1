"""Vocabularies: every unit the frozen test records use has its English in vocab/units.yaml, and
`casebook check` warns (never fails) about a unit the table lacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from casebook.vocab import vocabulary

TESTS = Path(__file__).resolve().parent
RECORD = TESTS / "corpus" / "cases" / "guizhou" / "longli-express-logistics-party-committee.yaml"


def units_used(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.yaml"):
        for figure in yaml.safe_load(path.read_text(encoding="utf-8")).get("numbers", []):
            if isinstance(figure, dict) and isinstance(figure.get("unit"), str):
                found.add(figure["unit"])
    return found


def test_every_unit_of_the_test_records_has_english():
    units = vocabulary("units")
    used = units_used(TESTS / "corpus" / "cases") | units_used(TESTS / "fixtures" / "cases")
    assert len(used) > 20
    assert sorted(u for u in used if u not in units) == []
    for term in units.terms:
        assert term.zh == term.slug and isinstance(term.en, str)


def test_units_the_review_found_in_chinese_have_english():
    units = vocabulary("units")
    assert units.get("倍").en == "times" and units.get("辆/小时").en == "vehicles an hour"


def check(tmp_path: Path, unit: str) -> subprocess.CompletedProcess:
    text = RECORD.read_text(encoding="utf-8")
    assert "    unit: 亩\n" in text and "printed: 2000余亩" in text
    folder = tmp_path / "guizhou"
    folder.mkdir(parents=True, exist_ok=True)
    text = text.replace("    unit: 亩\n", f"    unit: {unit}\n").replace("printed: 2000余亩", f"printed: 2000余{unit}")
    (folder / RECORD.name).write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "casebook", "check", str(tmp_path)], capture_output=True, text=True, timeout=120
    )


def test_check_warns_about_a_unit_without_english(tmp_path):
    proc = check(tmp_path, "光年")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "单位“光年”不在 vocab/units.yaml 里" in proc.stdout and "提示" in proc.stdout
    proc = check(tmp_path, "辆/小时")
    assert proc.returncode == 0 and "不在 vocab/units.yaml" not in proc.stdout, proc.stdout
