"""The write stage: only changed files are written, each replaced whole; nothing outside its folders; only
files it wrote itself (its manifest) are ever deleted."""

from __future__ import annotations

import pytest

from casebook.write import MANIFEST, remove_stale, write_files


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
    assert remove_stale(tmp_path, {"cases/a.md", "cases/b.md"}) == 0
    (tmp_path / "about.md").write_text("editors' page")
    (tmp_path / "cases" / "editor.md").write_text("an editor's page among the generated ones")
    assert remove_stale(tmp_path, {"cases/a.md"}) == 1
    assert (tmp_path / "cases" / "a.md").exists() and not (tmp_path / "cases" / "b.md").exists()
    assert (tmp_path / "about.md").exists() and (tmp_path / "cases" / "editor.md").exists()
    assert (tmp_path / MANIFEST).read_text() == "cases/a.md\n"


def test_first_run_without_a_manifest_deletes_nothing(tmp_path):
    """docs/ generated before the manifest existed: its files were not written by this writer."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "notes.txt").write_text("notes")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "old.md").write_text("old")
    write_files(tmp_path, {"cases/a.md": b"a", "index.md": b"home"})
    assert remove_stale(tmp_path, {"cases/a.md", "index.md"}) == 0
    assert (tmp_path / "data" / "notes.txt").exists() and (tmp_path / "cases" / "old.md").exists()
    assert (tmp_path / MANIFEST).read_text() == "cases/a.md\nindex.md\n"


def test_manifest_names_outside_the_generated_folders_are_never_deleted(tmp_path):
    """A hand-edited (or damaged) manifest cannot make the writer delete anything else."""
    (tmp_path / "keep").mkdir()
    (tmp_path / "cases").mkdir()
    (tmp_path / "about.md").write_text("x")
    (tmp_path / "keep" / "x.md").write_text("x")
    (tmp_path.parent / "outside.md").write_text("x")
    (tmp_path / MANIFEST).write_text("about.md\nkeep/x.md\ncases/../about.md\n../outside.md\n/etc/hostname\ncases\n")
    assert remove_stale(tmp_path, set()) == 0
    assert (tmp_path / "about.md").exists() and (tmp_path / "keep" / "x.md").exists()
    assert (tmp_path.parent / "outside.md").exists() and (tmp_path / "cases").is_dir()


def test_stale_pages_go_with_the_folders_they_leave_empty(tmp_path):
    files = {"regions/11/a.md": b"a", "regions/12/b.md": b"b", "index.en.md": b"en"}
    write_files(tmp_path, files)
    remove_stale(tmp_path, set(files))
    manifest = (tmp_path / MANIFEST).stat()
    assert remove_stale(tmp_path, set(files)) == 0
    assert (tmp_path / MANIFEST).stat().st_ino == manifest.st_ino  # unchanged list: not rewritten
    assert remove_stale(tmp_path, {"regions/12/b.md"}) == 2
    assert not (tmp_path / "regions" / "11").exists() and (tmp_path / "regions" / "12" / "b.md").exists()
    assert not (tmp_path / "index.en.md").exists() and (tmp_path / "regions").is_dir()
