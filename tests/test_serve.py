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
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from casebook.benchmarks import project_copy
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


# --- a broken record, a failed rebuild, a deleted case (issue 12, item 15) -------------------------

BROKEN = "cases/shaanxi/qianyang-sijian-sili.yaml"  # fufeng-sanjia-project links to it (related)
LINKING = "cases/fufeng-sanjia-project.html"
SHOTS = Path(os.environ.get("CASEBOOK_SHOTS", "")) if os.environ.get("CASEBOOK_SHOTS") else None


def article(html: str) -> str:
    m = re.search(r"<article\b.*?</article>", html, re.S)
    assert m, "no article"
    return m.group(0)


def test_a_broken_record_shows_its_problem_in_the_browser_over_the_last_good_site(served, browser):
    server, work = served
    record = work / BROKEN
    good = record.read_text(encoding="utf-8")
    before = {p: article(server.get(p)) for p in ("cases/qianyang-sijian-sili.html", LINKING)}
    pg = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        pg.goto(server.base + LINKING)  # open before the edit: live reload must bring the banner
        broken = good.replace("\nsummary: ", "\nsummary: 新内容标记: 多了冒号 ", 1)
        line = broken[: broken.index("新内容标记")].count("\n") + 1
        start = len(server.log)
        save(record, broken)
        # The failed rebuild ends (MkDocs' server used to hold every request until a good one).
        server.rebuilt(after=start)
        banner = pg.wait_for_selector("#cb-preview-problems", timeout=60_000)
        items = [li.inner_text() for li in pg.query_selector_all("#cb-preview-problems li")]
        # One problem: the broken file, not also "related … 没有这个案例" in the record linking to it.
        assert items == [f"{BROKEN}:{line}: YAML 格式错误：这里多了一个冒号：文本里有“: ”时，请给整段文字加上引号"]
        assert banner.is_visible() and banner.bounding_box()["y"] < 10  # at the top of the page
        assert "没有这个案例" not in "".join(server.log[start:])
        # The last good site is served, on every page, in both languages, with the banner.
        for path in before:
            html = server.get(path)
            assert 'id="cb-preview-problems"' in html and article(html) == before[path]
            assert "新内容标记" not in html
        assert 'id="cb-preview-problems"' in server.get("en/index.html")
        assert pg.locator("article h1").inner_text().strip()
        if SHOTS:
            pg.screenshot(path=str(SHOTS / "serve-broken-1366.png"))
            pg.set_viewport_size({"width": 390, "height": 844})
            pg.screenshot(path=str(SHOTS / "serve-broken-390.png"))
        # Fixed: the page reloads by itself and the banner is gone.
        start = len(server.log)
        save(record, good)
        server.rebuilt(after=start)
        pg.wait_for_selector("#cb-preview-problems", state="detached", timeout=60_000)
        assert 'id="cb-preview-problems"' not in server.get(LINKING)
    finally:
        pg.close()
        if record.read_text(encoding="utf-8") != good:
            save(record, good)


def test_a_failed_build_that_is_not_the_checker_shows_too(served):
    server, work = served
    partial = work / "overrides/partials/header.html"
    good = partial.read_text(encoding="utf-8")
    start = len(server.log)
    save(partial, good + "{% if %}\n")
    try:
        server.rebuilt(after=start)
        html = server.get("regions/index.html")
        assert "构建失败" in html and "partials/header.html" in html
    finally:
        start = len(server.log)
        save(partial, good)
        server.rebuilt(after=start)
    assert 'id="cb-preview-problems"' not in server.get("regions/index.html")


def status(server: Server, path: str) -> int:
    try:
        server.get(path)
    except urllib.error.HTTPError as exc:
        return exc.code
    return 200


def eventually(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the served site did not reach the expected state"
        time.sleep(0.2)


def test_a_deleted_or_renamed_case_is_gone_without_a_restart(served):
    server, work = served
    old = work / "cases/guizhou/xifeng-dengta-village-election.yaml"
    text = old.read_text(encoding="utf-8")
    pages = ["cases/xifeng-dengta-village-election.html", "en/cases/xifeng-dengta-village-election.html"]
    assert [status(server, p) for p in pages] == [200, 200]
    # Renamed (a new id): the old pages go, the new ones come. (Two file events: the second
    # rebuild may follow the first, so wait for the outcome rather than for one rebuild.)
    new = old.with_name("xifeng-dengta-village-renamed.yaml")
    save(new, text.replace("id: xifeng-dengta-village-election", "id: xifeng-dengta-village-renamed"))
    old.unlink()
    try:
        eventually(lambda: [status(server, p) for p in pages] == [404, 404])
        eventually(lambda: status(server, "cases/xifeng-dengta-village-renamed.html") == 200)
        assert "xifeng-dengta-village-election" not in server.get("cases/index.html")
        assert 'id="cb-preview-problems"' not in server.get("cases/index.html")
        # Deleted: its pages go too.
        start = len(server.log)
        new.unlink()
        server.rebuilt(after=start)
        assert status(server, "cases/xifeng-dengta-village-renamed.html") == 404
        assert status(server, "en/cases/xifeng-dengta-village-renamed.html") == 404
    finally:
        new.unlink(missing_ok=True)
        start = len(server.log)
        save(old, text)
        server.rebuilt(after=start)
    assert [status(server, p) for p in pages] == [200, 200]
