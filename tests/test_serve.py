"""`mkdocs serve --dirty` as scripts/serve.sh runs it, on a copy of the project holding the frozen
records of tests/corpus (not cases/, which editors change): an edited record shows on its page after
one quick rebuild, the rebuilt page is the page a full build makes (nav included), search finds the
edit once the background index has run, and a change to the theme overrides rebuilds every page."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from casebook.bench import project_copy
from tests.conftest import CORPUS, ROOT
from tests.test_search import _free_port, results, wait_done

MARK = "巡检改动标记"
CASE = "cases/zhejiang/qingtian-qingfengxia.yaml"


class Server:
    def __init__(self, work: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, CASEBOOK_ROOT=str(ROOT), NO_MKDOCS_2_WARNING="1")
        env.pop("CASEBOOK_CASES", None)
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(
            cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)

    def wait_log(self, text: str, after: int = 0, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(self.log[after:], after):
                if text in line:
                    return i
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} in the server log:\n" + "".join(self.log))

    def rebuilt(self, after: int) -> int:
        """Wait for the rebuild after log line ``after`` to succeed. (Not "Documentation built in N s":
        MkDocs drops a message it has logged before, so a second rebuild as fast as an earlier one
        prints none.)"""
        return self.wait_log("Reloading browsers", after=after)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=60) as resp:
            return resp.read().decode("utf-8")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)


def save(path: Path, text: str) -> None:
    """Save the way editors do (a new file renamed over the old one): one change event."""
    tmp = path.with_name(path.name + ".swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def nav(html: str) -> str:
    m = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S)
    assert m, "no primary nav"
    return m.group(0)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = project_copy(tmp_path_factory.mktemp("serve") / "project")
    shutil.rmtree(work / "cases")
    shutil.copytree(CORPUS, work / "cases")
    server = Server(work)
    try:
        server.wait_log("Serving on", timeout=180)
        yield server, work
    finally:
        server.stop()


def test_an_edited_record_shows_after_one_quick_rebuild(served, browser, corpus_site):
    server, work = served
    before = server.get("cases/qingtian-qingfengxia.html")
    assert MARK not in before
    assert "search index zh" in "".join(server.log)  # the first build is indexed before serving
    record = work / CASE
    text = record.read_text(encoding="utf-8")
    assert "\nsummary: " in text
    start = len(server.log)
    save(record, text.replace("\nsummary: ", f"\nsummary: {MARK}", 1))
    server.rebuilt(after=start)
    after = server.get("cases/qingtian-qingfengxia.html")
    assert MARK in after
    # Only the pages the edit changed were generated again, and one rebuild was enough.
    written = re.search(r"(\d+) files written", "".join(server.log[start:]))
    assert written and 0 < int(written.group(1)) < 20
    # The nav of the rebuilt page is the nav a full build gives (titles of pages not rebuilt included).
    full = (corpus_site / "cases/qingtian-qingfengxia.html").read_text(encoding="utf-8")
    assert nav(after) == nav(full)
    assert ">\n搜索\n<" in nav(after)
    # Search catches up in the background.
    server.wait_log("search index updated", after=start, timeout=120)
    pg = browser.new_page()
    try:
        pg.goto(server.base + f"search/index.html?q={MARK}")
        wait_done(pg, MARK)
        assert results(pg) == ["qingtian-qingfengxia"]
    finally:
        pg.close()
    # Only one rebuild: the pages the hook wrote into docs/ do not trigger another.
    time.sleep(2)
    assert sum("Building documentation" in line for line in server.log[start:]) == 1


def test_a_theme_change_rebuilds_every_page(served):
    server, work = served
    partial = work / "overrides/partials/header.html"
    start = len(server.log)
    save(partial, partial.read_text(encoding="utf-8") + "<!-- cb-theme-probe -->\n")
    server.rebuilt(after=start)
    assert any("rebuilding every page" in line for line in server.log[start:])
    # A page nothing else changed: only a full rebuild puts the new header in it.
    assert "cb-theme-probe" in server.get("en/cases/fufeng-sanjia-project.html")
    assert "cb-theme-probe" in server.get("regions/index.html")


def test_hand_written_assets_are_still_watched(served):
    server, work = served
    css = work / "docs/assets/casebook.css"
    start = len(server.log)
    save(css, css.read_text(encoding="utf-8") + "/* cb-asset-probe */\n")
    server.rebuilt(after=start)
    assert "cb-asset-probe" in server.get("assets/casebook.css")
