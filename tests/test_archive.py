"""The release archive: reproducible bytes, the whole site, and a site that works unpacked under a
sub-path of a plain static server (as on an intranet), with no request leaving 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from casebook.archive import ArchiveError, make_archive

from .conftest import ROOT

EPOCH = 1767225600  # 2026-01-01
LABEL = "2026-01-01-test"
TOP = f"casebook-site-{LABEL}"


@pytest.fixture(scope="module")
def archive(fixture_site, tmp_path_factory) -> Path:
    return make_archive(fixture_site, tmp_path_factory.mktemp("archive"), LABEL, EPOCH)


@pytest.fixture(scope="module")
def intranet(archive, tmp_path_factory) -> Path:
    """The archive unpacked as an admin would: <root>/intranet/cases-archive/."""
    root = tmp_path_factory.mktemp("webroot")
    with tarfile.open(archive) as tar:
        tar.extractall(root / "unpacked", filter="data")
    (root / "intranet").mkdir()
    (root / "unpacked" / TOP).rename(root / "intranet" / "cases-archive")
    return root


def test_archive_is_byte_identical_when_made_twice(fixture_site, archive, tmp_path):
    again = make_archive(fixture_site, tmp_path, LABEL, EPOCH)
    assert again.name == archive.name == f"{TOP}.tar.gz"
    assert again.read_bytes() == archive.read_bytes()


def test_archive_entries_are_normalised(archive):
    raw = archive.read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0"  # gzip, mtime 0
    assert raw[3] & 0x08 == 0  # no file name in the gzip header
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names) and names[0] == TOP
    assert all(n == TOP or n.startswith(TOP + "/") for n in names)
    for m in members:
        assert (m.mtime, m.uid, m.gid, m.uname, m.gname) == (EPOCH, 0, 0, "", "")
        assert m.mode == (0o755 if m.isdir() else 0o644) and (m.isdir() or m.isfile())


def test_archive_holds_exactly_the_site(fixture_site, archive):
    with tarfile.open(archive) as tar:
        files = {m.name.removeprefix(TOP + "/"): m.size for m in tar.getmembers() if m.isfile()}
    on_disk = {p.relative_to(fixture_site).as_posix(): p.stat().st_size for p in fixture_site.rglob("*") if p.is_file()}
    assert files == on_disk
    assert {"index.html", "data/cases.json", "en/index.html", "search/index.html"} <= files.keys()


def test_the_script_names_the_archive_by_date_and_commit(fixture_site, tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "package_site.py"),
            "--site",
            str(fixture_site),
            "--out",
            str(tmp_path),
        ],
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": str(EPOCH), "CASEBOOK_ROOT": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    made = Path(proc.stdout.strip())
    assert made.parent == tmp_path and made.is_file()
    assert made.name.startswith("casebook-site-2026-01-01") and made.name.endswith(".tar.gz")


def test_no_archive_of_a_folder_that_is_not_a_site(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArchiveError):
        make_archive(tmp_path / "empty", tmp_path / "out", LABEL, EPOCH)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unpacked_under_a_sub_path_the_site_works(intranet, serve, page):
    base = serve(intranet) + "intranet/cases-archive/"

    page.goto(base + "index.html", wait_until="networkidle")
    assert page.locator("h1").first.inner_text().strip()

    with page.expect_navigation(wait_until="networkidle"):
        page.locator('.cb-home a[href="cases/fx-fufeng-sanjia.html"]').first.click()
    assert page.url == base + "cases/fx-fufeng-sanjia.html"
    assert "扶风县" in page.locator("h1").first.inner_text()

    with page.expect_navigation(wait_until="networkidle"):
        page.locator('a[href="../regions/610324.html"]').first.click()
    assert page.url == base + "regions/610324.html"
    assert "扶风县" in page.locator("h1").first.inner_text()
    assert page.locator('a[href="../cases/fx-fufeng-sanjia.html"]').count() >= 1

    page.go_back(wait_until="networkidle")
    assert page.url == base + "cases/fx-fufeng-sanjia.html"

    for path in ("en/index.html", "search/index.html"):
        response = page.goto(base + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path

    assert page.failed_requests == []
    assert page.outside_requests == []
    assert page.console_errors == []

    # the downloads (fetched, not opened: a browser asks the server root for /favicon.ico beside a bare file)
    for path in ("data/cases.json", "data/cases.csv", "data/numbers.csv", "data/feed.xml"):
        assert page.request.get(base + path).status == 200, path
