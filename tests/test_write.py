"""The write stage: only changed files are written, each replaced whole; nothing outside its folders."""

from __future__ import annotations

import pytest

from casebook.write import remove_stale, write_files


def test_new_unchanged_and_changed_files(tmp_path):
    first = write_files(tmp_path, {"cases/a.md": b"one", "index.md": b"home"})
    assert (first.written, first.unchanged) == (2, 0)
    assert (tmp_path / "cases" / "a.md").read_bytes() == b"one"
    again = write_files(tmp_path, {"cases/a.md": b"one", "index.md": b"home"})
    assert (again.written, again.unchanged) == (0, 2)
    changed = write_files(tmp_path, {"cases/a.md": b"two", "index.md": b"home!"})  # same size, then longer
    assert (changed.written, changed.unchanged) == (2, 0)
    assert (tmp_path / "cases" / "a.md").read_bytes() == b"two"
    assert (tmp_path / "index.md").read_bytes() == b"home!"
    assert sorted(p.name for p in (tmp_path / "cases").iterdir()) == ["a.md"]  # no temporary file left


def test_refuses_files_outside_the_generated_folders(tmp_path):
    with pytest.raises(ValueError, match="outside the generated folders"):
        write_files(tmp_path, {"about.md": b"editors' page"})
    assert not (tmp_path / "about.md").exists()


def test_remove_stale_keeps_wanted_and_editors_files(tmp_path):
    write_files(tmp_path, {"cases/a.md": b"a", "cases/b.md": b"b"})
    (tmp_path / "about.md").write_text("editors' page")
    assert remove_stale(tmp_path, {"cases/a.md"}) == 1
    assert (tmp_path / "cases" / "a.md").exists() and not (tmp_path / "cases" / "b.md").exists()
    assert (tmp_path / "about.md").exists()
