"""What `casebook build` and `casebook docs` may delete, reproduced with the commands misused in a
throwaway copy of the checkout: the site folder is replaced only when a previous build made it, the
writer deletes only files it wrote, builds take turns and never share docs/ with a preview, and a
build stopped by SIGTERM or Ctrl-C cleans up after itself."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from casebook.benchmarks import project_copy
from casebook.build import (
    SITE_MARK,
    SITE_MARK_TEXT,
    Refused,
    lock_path,
    site_dir_problem,
    site_lock,
    swap_in,
)
from casebook.write import MANIFEST

from .conftest import FIXTURES, ROOT, digest

FIXTURE_PAGES = sorted(p.stem for p in (FIXTURES / "cases").rglob("*.yaml"))
STOPPED = "构建已中断：临时文件已清理，网站文件夹保持原样。"


def make_project(tmp_path: Path, cases: Path = FIXTURES / "cases") -> Path:
    """A copy of the checkout holding ``cases`` as its records, with a (stand-in) .git."""
    work = project_copy(tmp_path / "proj")
    shutil.rmtree(work / "cases")
    shutil.copytree(cases, work / "cases")
    (work / ".git").mkdir()
    (work / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return work


def env_for(work: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The project's own records (no CASEBOOK_CASES), reproducible dates, a private TMPDIR."""
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir(exist_ok=True)
    env = dict(os.environ, CASEBOOK_ROOT=str(work), SOURCE_DATE_EPOCH="1767225600", TMPDIR=str(tmpdir))
    env.pop("CASEBOOK_CASES", None)
    env.update(extra)
    return env


def casebook(work: Path, tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "casebook", *args]
    return subprocess.run(cmd, cwd=work, env=env_for(work, tmp_path, **extra), capture_output=True, text=True)


def leftovers(*folders: Path) -> list[str]:
    """Temporary files and folders a build makes (and must remove), found in ``folders``."""
    found = []
    for folder in folders:
        for p in folder.iterdir():
            made = p.name.startswith((".casebook-build-", "casebook-docs-", "casebook-index-")) or (
                p.name.startswith(".") and (".building-" in p.name or ".old-" in p.name or p.name.endswith(".lock"))
            )
            if made:
                found.append(str(p))
    return found


def case_pages(site: Path, lang: str = "") -> list[str]:
    folder = site / lang / "cases" if lang else site / "cases"
    return sorted(p.stem for p in folder.glob("*.html") if p.stem != "index")


# --- item 2: the site folder ------------------------------------------------------------------------


def test_build_refuses_the_records_folder(tmp_path):
    work = make_project(tmp_path)
    before = digest(work / "cases")
    proc = casebook(work, tmp_path, "build", "--site-dir", "cases", "--no-search")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "拒绝构建：--site-dir cases" in proc.stderr and "rm -rf" not in proc.stderr
    assert digest(work / "cases") == before and len(before) == len(FIXTURE_PAGES)
    assert leftovers(work) == []


@pytest.mark.parametrize("site_dir", [".", "..", "docs", "docs/site"])
def test_build_refuses_the_checkout_and_what_holds_it(tmp_path, site_dir):
    work = make_project(tmp_path)
    (tmp_path / "notes.txt").write_text("beside the checkout")
    before = digest(tmp_path)
    proc = casebook(work, tmp_path, "build", "--site-dir", site_dir, "--no-search")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "拒绝构建" in proc.stderr
    assert digest(tmp_path) == before  # .git, mkdocs.yml, cases/, docs/ and the neighbour all still there


def test_build_refuses_a_folder_it_did_not_make(tmp_path):
    """A web root given as --site-dir, or a site/ built before the mark existed."""
    work = make_project(tmp_path)
    www = tmp_path / "www"
    (www / "other-app").mkdir(parents=True)
    (www / "index.html").write_text("<p>the intranet home</p>")
    (www / "other-app" / "app.js").write_text("// someone else's")
    old_site = work / "site"
    (old_site / "cases").mkdir(parents=True)
    (old_site / "index.html").write_text("<p>built before the mark</p>")
    before = digest(tmp_path)

    proc = casebook(work, tmp_path, "build", "--site-dir", str(www), "--no-search")
    assert proc.returncode == 1
    assert f"rm -rf {www}" in proc.stderr and SITE_MARK in proc.stderr
    proc = casebook(work, tmp_path, "build", "--site-dir", "site", "--no-search")
    assert proc.returncode == 1
    assert "\n    rm -rf site\n" in proc.stderr
    assert digest(tmp_path) == before
    assert leftovers(tmp_path, work) == []

    # The one command named, then the build goes through; the next build finds its mark.
    subprocess.run(["rm", "-rf", "site"], cwd=work, check=True)
    first = casebook(work, tmp_path, "build", "--site-dir", "site", "--no-search")
    assert first.returncode == 0, first.stderr
    assert (old_site / SITE_MARK).read_bytes() == SITE_MARK_TEXT
    built = digest(old_site)
    again = casebook(work, tmp_path, "build", "--site-dir", "site", "--no-search")
    assert again.returncode == 0, again.stderr
    assert digest(old_site) == built
    assert not list(old_site.rglob(MANIFEST))  # the writer's manifest is not published
    assert leftovers(tmp_path, work, tmp_path / "tmpdir") == []


def test_build_into_an_empty_folder(tmp_path):
    work = make_project(tmp_path)
    (tmp_path / "empty").mkdir()
    proc = casebook(work, tmp_path, "build", "--site-dir", str(tmp_path / "empty"), "--no-search")
    assert proc.returncode == 0, proc.stderr
    assert case_pages(tmp_path / "empty") == FIXTURE_PAGES


def test_which_site_folders_may_be_replaced(tmp_path):
    root, cases = tmp_path / "proj", tmp_path / "proj" / "cases"
    (cases / "beijing").mkdir(parents=True)
    (cases / "beijing" / "a.yaml").write_text("id: a\n")
    (root / "docs").mkdir()
    other = tmp_path / "other-checkout"
    (other / "cases" / "x").mkdir(parents=True)
    (other / "cases" / "x" / "b.yaml").write_text("id: b\n")
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / SITE_MARK).write_bytes(SITE_MARK_TEXT)
    (marked / "index.html").write_text("old site")
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.html").write_text("x")
    refused = [root, tmp_path, cases, cases / "beijing", root / "docs" / "site", other, tmp_path / "full"]
    allowed = [marked, tmp_path / "empty", tmp_path / "new", root / "site"]
    assert [p for p in refused if site_dir_problem(p, root, cases) is None] == []
    assert [p for p in allowed if site_dir_problem(p, root, cases) is not None] == []


def test_swap_in_replaces_only_a_marked_folder(tmp_path):
    new, target = tmp_path / "new", tmp_path / "target"
    new.mkdir()
    (new / "index.html").write_text("new")
    target.mkdir()
    (target / "records.yaml").write_text("precious")
    with pytest.raises(Refused):
        swap_in(new, target)
    assert (target / "records.yaml").read_text() == "precious" and (new / "index.html").exists()
    (target / "records.yaml").unlink()
    (target / SITE_MARK).write_bytes(SITE_MARK_TEXT)
    swap_in(new, target)
    assert (target / "index.html").read_text() == "new" and not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]  # the old copy is gone


def test_swap_in_puts_the_old_site_back_when_the_new_one_cannot_go_in(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / SITE_MARK).write_bytes(SITE_MARK_TEXT)
    (target / "index.html").write_text("old")
    with pytest.raises(FileNotFoundError):
        swap_in(tmp_path / "missing", target)
    assert (target / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- item 3: the writer's folders -------------------------------------------------------------------


def test_docs_refuses_the_checkout(tmp_path):
    work = make_project(tmp_path)
    (work / "data").mkdir()
    (work / "data" / "notes.txt").write_text("an editor's notes")
    before = digest(work)
    for docs in (".", str(tmp_path)):
        proc = casebook(work, tmp_path, "docs", "--cases", "cases", "--docs", docs)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "拒绝生成" in proc.stderr
    assert digest(work) == before


def test_docs_deletes_only_files_it_wrote(tmp_path):
    work = make_project(tmp_path)
    docs = tmp_path / "out-docs"
    (docs / "data").mkdir(parents=True)
    (docs / "data" / "notes.txt").write_text("an editor's notes")
    (docs / "cases").mkdir()
    (docs / "cases" / "fx-old-page.md").write_text("written by hand, or by a generator before the manifest")
    proc = casebook(work, tmp_path, "docs", "--cases", "cases", "--docs", str(docs))
    assert proc.returncode == 0, proc.stderr
    listed = (docs / MANIFEST).read_text().splitlines()
    assert listed == sorted(listed) and "cases/fx-changping.md" in listed and "cases/fx-changping.en.md" in listed
    assert "data/notes.txt" not in listed and "cases/fx-old-page.md" not in listed

    (work / "cases" / "guizhou" / "fx-longli-drivers-home.yaml").unlink()  # a record removed: its pages go
    proc = casebook(work, tmp_path, "docs", "--cases", "cases", "--docs", str(docs))
    assert proc.returncode == 0, proc.stderr
    gone = ("cases/fx-longli-drivers-home.md", "cases/fx-longli-drivers-home.en.md")
    assert [name for name in gone if (docs / name).exists()] == []
    assert "删除 " in proc.stdout and "删除 0 个" not in proc.stdout
    assert (docs / "data" / "notes.txt").read_text() == "an editor's notes"
    assert (docs / "cases" / "fx-old-page.md").exists()

    # What the writer leaves is what a fresh generation writes, byte for byte.
    fresh = tmp_path / "fresh-docs"
    assert casebook(work, tmp_path, "docs", "--cases", "cases", "--docs", str(fresh)).returncode == 0
    ours = {k: v for k, v in digest(docs).items() if k not in ("data/notes.txt", "cases/fx-old-page.md")}
    assert ours == digest(fresh)


def test_temporary_files_and_the_manifest_are_git_ignored():
    names = [
        "docs/.casebook-generated",
        ".site.building-abc123/index.html",
        ".site.old-4242/index.html",
        ".site.lock",
        ".casebook-build-abc123.yml",
        "site/index.html",
    ]
    proc = subprocess.run(["git", "-C", str(ROOT), "check-ignore", *names], capture_output=True, text=True)
    assert sorted(proc.stdout.split()) == sorted(names)


# --- item 10: builds take turns, and never share docs/ ----------------------------------------------


def test_a_second_build_waits_then_names_the_holder(tmp_path):
    work = make_project(tmp_path)
    site = tmp_path / "site"
    with site_lock(site, wait=0):
        proc = casebook(work, tmp_path, "build", "--site-dir", str(site), "--no-search", "--wait", "0.5")
        assert lock_path(site).read_text().startswith(f"进程 {os.getpid()}：")
    assert proc.returncode == 1
    assert f"正被另一个构建占用（进程 {os.getpid()}：" in proc.stderr
    assert not site.exists() and not lock_path(site).exists()


def test_two_builds_at_once_publish_one_whole_site(tmp_path):
    work = make_project(tmp_path)
    fewer = tmp_path / "fewer"
    shutil.copytree(FIXTURES / "cases", fewer)
    (fewer / "beijing" / "fx-changping.yaml").unlink()
    (fewer / "beijing" / "fx-tiantongyuan.yaml").unlink()
    site = tmp_path / "site"
    cmd = [sys.executable, "-m", "casebook", "build", "--site-dir", str(site), "--no-search"]
    procs = [
        subprocess.Popen(
            cmd, cwd=work, env=env_for(work, tmp_path, **extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for extra in ({}, {"CASEBOOK_CASES": str(fewer)})
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err.decode()[-2000:] for _, err in outs]
    pages = case_pages(site)
    assert pages in (FIXTURE_PAGES, sorted(set(FIXTURE_PAGES) - {"fx-changping", "fx-tiantongyuan"}))
    assert case_pages(site, "en") == pages
    data = json.loads((site / "data" / "cases.json").read_text(encoding="utf-8"))
    assert data["count"] == len(data["cases"]) and {c["id"] for c in data["cases"]} <= set(pages)
    assert leftovers(tmp_path, tmp_path / "tmpdir", work) == []


def test_a_build_while_a_preview_serves_docs(tmp_path):
    """`mkdocs serve` keeps docs/ generated from its records; a build of other records neither
    writes docs/ nor reads what the preview generated there."""
    work = make_project(tmp_path)
    fewer = tmp_path / "fewer"
    shutil.copytree(FIXTURES / "cases", fewer)
    (fewer / "guizhou" / "fx-longli-drivers-home.yaml").unlink()
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=work,
        env=env_for(work, tmp_path, CASEBOOK_CASES=str(fewer), NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(serve.stdout), daemon=True).start()
    try:
        deadline = time.monotonic() + 180
        while not any("Serving on" in line for line in log):
            assert serve.poll() is None and time.monotonic() < deadline, "".join(log)
            time.sleep(0.1)
        preview_docs = digest(work / "docs")
        assert "cases/fx-longli-drivers-home.md" not in preview_docs
        site = tmp_path / "site"
        proc = casebook(work, tmp_path, "build", "--site-dir", str(site), "--no-search")
        assert proc.returncode == 0, proc.stderr
        assert case_pages(site) == FIXTURE_PAGES == case_pages(site, "en")
        assert digest(work / "docs") == preview_docs
        assert serve.poll() is None
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- item 11: SIGTERM and Ctrl-C ----------------------------------------------------------------------

# The build with the generation workers forced on for the few fixture records, and the main
# process stopped where the workers wait for it (finding the related cases).
STALLED_BUILD = """
import json, multiprocessing, os, sys, time
import casebook.site as site
site.PARALLEL_FROM = 1
os.cpu_count = lambda: 2
def stall(catalog):
    ready = sys.argv[1]
    with open(ready + ".tmp", "w") as fh:
        json.dump([p.pid for p in multiprocessing.active_children()], fh)
    os.replace(ready + ".tmp", ready)
    time.sleep(600)
site.add_related = stall
from casebook.cli import main
sys.exit(main(sys.argv[2:]))
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_for(predicate, proc: subprocess.Popen, what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        assert proc.poll() is None, f"the build ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"no {what}"
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("signum", "group"), [(signal.SIGTERM, False), (signal.SIGINT, True)], ids=["SIGTERM", "Ctrl-C"]
)
def test_stopping_a_build_ends_its_workers(tmp_path, signum, group):
    work = make_project(tmp_path)
    ready = tmp_path / "workers.json"
    site = tmp_path / "site"
    cmd = [sys.executable, "-c", STALLED_BUILD, str(ready), "build", "--site-dir", str(site), "--no-search"]
    proc = subprocess.Popen(
        cmd,
        cwd=work,
        env=env_for(work, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(ready.exists, proc, "generation workers")
        workers = json.loads(ready.read_text())
        assert len(workers) == 3 and all(alive(pid) for pid in workers)
        if group:
            os.killpg(proc.pid, signum)
        else:
            os.kill(proc.pid, signum)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == STOPPED
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in workers if alive(pid)] == []
    assert leftovers(tmp_path, tmp_path / "tmpdir", work) == []
    assert not site.exists()


def test_sigterm_during_mkdocs_removes_every_temporary_folder(tmp_path):
    work = make_project(tmp_path)
    site = tmp_path / "site"
    first = casebook(work, tmp_path, "build", "--site-dir", str(site), "--no-search")
    assert first.returncode == 0, first.stderr
    before = digest(site)
    # with search: the index writer runs beside MkDocs, and must end with it
    cmd = [sys.executable, "-m", "casebook", "build", "--site-dir", str(site)]
    proc = subprocess.Popen(
        cmd, cwd=work, env=env_for(work, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    try:
        wait_for(
            lambda: list(tmp_path.glob(".site.building-*")) and len(children.read_text().split()) == 2,
            proc,
            "MkDocs and the indexer running",
        )
        mkdocs = [int(pid) for pid in children.read_text().split()]  # MkDocs and the indexer
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == STOPPED
    assert [pid for pid in mkdocs if alive(pid)] == []
    assert leftovers(tmp_path, tmp_path / "tmpdir", work) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj", "site", "tmpdir"]
    assert digest(site) == before


def test_a_failing_search_index_stops_the_build_and_keeps_the_last_site(tmp_path):
    work = make_project(tmp_path)
    site = tmp_path / "site"
    first = casebook(work, tmp_path, "build", "--site-dir", str(site))
    assert first.returncode == 0, first.stderr
    before = digest(site)
    # the project's own index writer, broken (the build runs the copy's casebook package)
    (work / "casebook/searchindex.mjs").write_text('console.error("坏了"); process.exit(3);\n', encoding="utf-8")
    second = casebook(work, tmp_path, "build", "--site-dir", str(site))
    assert second.returncode == 1
    assert "搜索索引失败" in second.stderr and "坏了" in second.stderr and "保持不变" in second.stderr
    assert digest(site) == before
    assert leftovers(tmp_path, tmp_path / "tmpdir", work) == []
