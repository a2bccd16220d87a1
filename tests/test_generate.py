"""``casebook generate``: ids with a chosen prefix, and never over a file that is there."""

from __future__ import annotations

from casebook.cli import main
from casebook.load import load_file


def test_prefix_names_the_ids(tmp_path):
    assert main(["generate", "3", str(tmp_path), "--prefix", "growth"]) == 0
    ids = sorted(load_file(f).data["id"] for f in tmp_path.rglob("*.yaml"))
    assert len(ids) == 3 and all(i.startswith("growth-") for i in ids)


def test_an_existing_record_is_never_overwritten(tmp_path, capsys):
    assert main(["generate", "2", str(tmp_path)]) == 0
    first = sorted(tmp_path.rglob("*.yaml"))[0]
    first.write_text("编辑的记录\n", encoding="utf-8")
    assert main(["generate", "2", str(tmp_path)]) == 1
    assert "不覆盖已有文件" in capsys.readouterr().err
    assert first.read_text(encoding="utf-8") == "编辑的记录\n"


def test_a_bad_prefix_is_refused(tmp_path):
    assert main(["generate", "1", str(tmp_path), "--prefix", "../x"]) == 2
    assert not any(tmp_path.iterdir())
