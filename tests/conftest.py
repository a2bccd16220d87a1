"""Shared fixtures: the real site built once per session, a static server, and headless Chromium.

Browser tests use Debian's chromium through Playwright (``executable_path``); Playwright's own
browser download is never used.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from casebook.bench import project_copy

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
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
    env = dict(os.environ, CASEBOOK_CASES=str(cases), CASEBOOK_ROOT=str(ROOT), SOURCE_DATE_EPOCH="1767225600")
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "casebook", "build", "--site-dir", str(out), "--config", str(work / "mkdocs.yml")]
    if not search:
        cmd.append("--no-search")
    return subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The site built from the real cases/ with the documented command."""
    out = tmp_path_factory.mktemp("real") / "site"
    proc = build_site(ROOT / "cases", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


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
