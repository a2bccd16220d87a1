"""Shared fixtures: the sites the tests read, a static server, and headless Chromium.

Two kinds of site (docs-notes/tests.md):

* ``corpus_site`` and ``fixture_site``: built from frozen test records (tests/corpus/cases, a copy of
  the 31 records of commit 6495ad8; tests/fixtures/cases, a few hand-made ones). Every test of the
  site's behaviour (search, facets, layout, serve, English pages, sizes of given pages, given case
  ids) reads one of these, so what it expects never depends on what editors add to cases/.
* ``content_project`` (a copy of the project holding a snapshot of cases/) and ``grown_project`` (the
  same with generated records added): only for tests/test_content.py, which checks what must hold
  for any valid content.

Each is built once per test run: under pytest-xdist the workers share it (:func:`shared`).

Browser tests use Debian's chromium through Playwright (``executable_path``); Playwright's own
browser download is never used.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.benchmarks import project_copy

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(__file__).resolve().parent / "corpus" / "cases"  # frozen records: test data, not content
CONTENT = ROOT / "cases"  # the editors' records: read only by the content-level tests (test_content.py)
GROWTH = 40  # records generated into the grown project
GROWTH_PREFIX = "growth"  # their ids: growth-<province>-n, apart from any id an editor (or a test run) gave
EPOCH = "1767225600"
CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]


def digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path) → its SHA-256: two trees are equal when these are."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build_site(
    cases: Path, out: Path, *, search: bool = True, extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the documented build (``casebook build``) on ``cases`` into ``out``, in a copy of the project.

    The copy keeps each build's generated docs/ apart, so tests can build several sites at once.
    """
    work = out.parent / f"{out.name}-project"
    if not work.exists():
        project_copy(work)
    env = dict(os.environ, CASEBOOK_CASES=str(cases), CASEBOOK_ROOT=str(ROOT), SOURCE_DATE_EPOCH=EPOCH)
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "casebook", "build", "--site-dir", str(out), "--config", str(work / "mkdocs.yml")]
    if not search:
        cmd.append("--no-search")
    return subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True)


def shared(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder ``make`` fills once per test run, whichever pytest-xdist worker asks first.

    Session fixtures run once per worker; a site built this way is built once and the other worker
    waits for it (an exclusive lock on a file beside it), then reads the same files. No test may
    change the files of a shared folder that other tests read. A ``make`` that raises leaves no
    folder: the next worker to ask tries again (and reports the same failure)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above every worker's own
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> Path:
    """The site built from the frozen records in tests/corpus/cases with the documented command
    (search included). The project copy it was built in is beside it: ``site-project``."""

    def make(folder: Path) -> None:
        proc = build_site(CORPUS, folder / "site")
        assert proc.returncode == 0, proc.stdout + proc.stderr

    return shared(tmp_path_factory, "corpus", make) / "site"


@dataclass
class Step:
    """One command run in a content project: its exit code, output and wall time."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def __str__(self) -> str:
        return f"casebook {' '.join(self.args)} → {self.returncode} in {self.seconds:.1f} s\n{self.stdout}{self.stderr}"


@dataclass
class ContentProject:
    """A copy of the project whose cases/ holds a snapshot of the editors' records (plus, for the
    growth test, generated ones), checked and built there with the documented commands as CI runs
    them: ``casebook check``, then ``casebook build``."""

    name: str
    work: Path
    steps: dict[str, Step]

    @property
    def cases(self) -> Path:
        return self.work / "cases"

    @property
    def site(self) -> Path:
        """The built site; fails the test (with the build's output) if the build failed."""
        build = self.steps["build"]
        assert build.returncode == 0, str(build)
        return self.work / "site"


def content_env(work: Path) -> dict[str, str]:
    """The environment of a command run in the project copy ``work``: its own cases/, no others."""
    env = dict(os.environ, CASEBOOK_ROOT=str(work), SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    env.pop("CASEBOOK_CASES", None)
    return env


def make_content_project(folder: Path, records: Path, generated: int = 0, search: bool = True) -> None:
    """Copy the project into ``folder/project`` with ``records`` as its cases/, add ``generated``
    records (``casebook generate``, ids growth-…, into the province folders of cases/), then check and
    build there. The results are kept in ``folder/steps.json`` (see :func:`load_content_project`)."""
    work = project_copy(folder / "project")
    shutil.rmtree(work / "cases")
    shutil.copytree(records, work / "cases", symlinks=True)
    env = content_env(work)
    commands = {"check": ["check"], "build": ["build"] if search else ["build", "--no-search"]}
    if generated:
        commands = {"generate": ["generate", str(generated), "cases", "--prefix", GROWTH_PREFIX], **commands}
    steps = {}
    for name, args in commands.items():
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "casebook", *args], cwd=work, env=env, capture_output=True, text=True
        )
        steps[name] = {
            "args": args,
            "returncode": proc.returncode,
            "stdout": proc.stdout,
            "stderr": proc.stderr,
            "seconds": time.monotonic() - start,
        }
    (folder / "steps.json").write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")


def load_content_project(name: str, folder: Path) -> ContentProject:
    steps = json.loads((folder / "steps.json").read_text(encoding="utf-8"))
    return ContentProject(name, folder / "project", {k: Step(**v) for k, v in steps.items()})


@pytest.fixture(scope="session")
def content_snapshot(tmp_path_factory) -> Path:
    """A copy of cases/ taken once per run (editors may be changing cases/ while the tests run):
    both content projects start from it."""

    def make(folder: Path) -> None:
        shutil.copytree(CONTENT, folder / "cases", symlinks=True)

    return shared(tmp_path_factory, "snapshot", make) / "cases"


@pytest.fixture(scope="session")
def content_project(tmp_path_factory, content_snapshot) -> ContentProject:
    """The editors' records (the snapshot of cases/), checked and built with search. Content-level
    tests only (tests/test_content.py)."""

    def make(folder: Path) -> None:
        make_content_project(folder, content_snapshot)

    return load_content_project("cases", shared(tmp_path_factory, "content", make))


@pytest.fixture(scope="session")
def content_site(content_project) -> Path:
    """The site built from the editors' records in cases/. Content-level tests only."""
    return content_project.site


@pytest.fixture(scope="session")
def grown_project(tmp_path_factory, content_snapshot) -> ContentProject:
    """The growth test's project: the snapshot of cases/ plus ``GROWTH`` generated valid records,
    checked and built with search (the documented build, as CI runs it)."""

    def make(folder: Path) -> None:
        make_content_project(folder, content_snapshot, generated=GROWTH)

    return load_content_project("cases + generated", shared(tmp_path_factory, "grown", make))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The site built from the small fixture case set in tests/fixtures/cases."""
    out = tmp_path_factory.mktemp("fixture") / "site"
    proc = build_site(FIXTURES / "cases", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D401
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """``serve(folder)`` → base URL of a plain static server for that folder (like python -m http.server)."""
    servers = []

    def start(folder: Path, prefix: str = "") -> str:
        port = _free_port()
        handler = functools.partial(_QuietHandler, directory=str(folder))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{port}/{prefix}"

    yield start
    for s in servers:
        s.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every request leaving 127.0.0.1 and every console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.outside_requests = []
    pg.console_errors = []
    pg.failed_requests = []

    def on_request(req):
        if not req.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            pg.outside_requests.append(req.url)

    pg.on("request", on_request)
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.on("response", lambda r: pg.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()
