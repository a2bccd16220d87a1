"""The source-link checker: addresses found with their file and line, HEAD then GET, bounds, and
reports that warn without failing. Every request goes to a server on 127.0.0.1 (or to a closed port
there); no outside host is ever contacted."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from casebook import linkcheck
from casebook.linkcheck import LinkResult, SourceUrl, check_all, check_url, collect_urls

from .conftest import ROOT

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


class _Handler(http.server.BaseHTTPRequestHandler):
    """/live answers 200, /no-head refuses HEAD (405) but answers GET, everything else is 404."""

    def _answer(self, body: bool) -> None:
        if self.path == "/live" or (self.path == "/no-head" and self.command == "GET"):
            status = 200
        elif self.path == "/no-head":
            status = 405
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):  # noqa: N802
        self._answer(body=False)

    def do_GET(self):  # noqa: N802
        self._answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def local() -> str:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def refused() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def record(case_id: str, urls: list[str | None]) -> str:
    """A (partial) record whose sources carry ``urls`` (None: a source without url)."""
    lines = [f"id: {case_id}", "title: 测试", "sources:"]
    for i, url in enumerate(urls):
        lines += [f"  - key: s{i}", "    kind: web", f"    title: 报道{i}"]
        if url is not None:
            lines.append(f"    url: {url}")
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- collecting --------------------------------------------------------------------------------------


def test_collects_every_source_url_with_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases" / "beijing").mkdir(parents=True)
    a = record("case-a", ["https://a.example/1", None, "https://a.example/2"])
    b = record("case-b", ["https://b.example/x"])
    (tmp_path / "cases" / "beijing" / "case-a.yaml").write_text(a, encoding="utf-8")
    (tmp_path / "cases" / "case-b.yaml").write_text(b, encoding="utf-8")
    (tmp_path / "cases" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (tmp_path / "cases" / "notes.txt").write_text("url: https://not.a.record/\n", encoding="utf-8")

    found = collect_urls([tmp_path / "cases"])

    assert found == [
        SourceUrl("cases/beijing/case-a.yaml", line_of(a, "a.example/1"), "https://a.example/1", "case-a", "s0"),
        SourceUrl("cases/beijing/case-a.yaml", line_of(a, "a.example/2"), "https://a.example/2", "case-a", "s2"),
        SourceUrl("cases/case-b.yaml", line_of(b, "b.example/x"), "https://b.example/x", "case-b", "s0"),
    ]


def test_the_real_records_parse_and_every_url_is_http():
    found = collect_urls([ROOT / "cases"])
    assert all(u.url.startswith(("http://", "https://")) and u.line > 1 for u in found)


# --- checking, with an injected fetcher ----------------------------------------------------------------


def test_head_refused_falls_back_to_get():
    calls = []

    def fetch(url, method, timeout):
        calls.append(method)
        return 405 if method == "HEAD" else 200

    r = check_url("https://x.example/", fetch, timeout=1)
    assert (r.ok, r.status, r.method, calls) == (True, 200, "GET", ["HEAD", "GET"])


def test_head_without_answer_falls_back_to_get_and_reports_why():
    def fetch(url, method, timeout):
        raise TimeoutError("timed out")

    r = check_url("https://x.example/", fetch, timeout=1)
    assert not r.ok and r.status is None and r.method == "GET" and r.error == "超时"


def test_head_ok_needs_no_get():
    calls = []
    r = check_url("https://x.example/", lambda u, m, t: calls.append(m) or 204, timeout=1)
    assert r.ok and calls == ["HEAD"]


def test_not_http_is_dead_without_a_request():
    r = check_url("ftp://x.example/file", lambda *a: pytest.fail("no request expected"))
    assert not r.ok and "http" in r.error


def test_each_address_once_and_bounded():
    seen, running, peak = [], [0], [0]
    lock = threading.Lock()

    def fetch(url, method, timeout):
        with lock:
            seen.append(url)
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return 200

    items = [SourceUrl("f.yaml", n, f"https://x.example/{n % 7}") for n in range(30)]
    results, skipped = check_all(items, fetch, workers=3, max_urls=5, budget=None)
    assert sorted(seen) == sorted(f"https://x.example/{n}" for n in range(5))  # 7 distinct, 5 allowed
    assert set(results) == set(seen) and len(skipped) == 2
    assert peak[0] <= 3


def test_time_budget_stops_new_requests():
    items = [SourceUrl("f.yaml", 1, "https://x.example/a")]
    results, skipped = check_all(items, lambda *a: pytest.fail("no request expected"), budget=-1)
    assert results == {} and skipped == ["https://x.example/a"]


def test_annotation_is_a_warning_on_the_records_line():
    found = [(SourceUrl("cases/a,b:c.yaml", 12, "https://x.example/%7E"), LinkResult("https://x.example/%7E", 404))]
    assert linkcheck.annotations(found) == [
        "::warning file=cases/a%2Cb%3Ac.yaml,line=12,title=出处链接失效::https://x.example/%257E（HTTP 404）"
    ]


# --- against a local server ------------------------------------------------------------------------------


def test_real_requests_to_a_local_server(local, refused):
    assert check_url(local + "/live", timeout=5) == LinkResult(local + "/live", status=200, method="HEAD")
    assert check_url(local + "/no-head", timeout=5) == LinkResult(local + "/no-head", status=200, method="GET")
    missing = check_url(local + "/missing", timeout=5)
    assert (missing.ok, missing.status, missing.method) == (False, 404, "GET")
    gone = check_url(refused, timeout=5)
    assert not gone.ok and gone.status is None and gone.error == "连接被拒绝"


def test_script_warns_and_summarises_without_failing(tmp_path, local, refused):
    (tmp_path / "cases" / "beijing").mkdir(parents=True)
    text = record("case-a", [local + "/live", local + "/missing", refused, local + "/no-head"])
    (tmp_path / "cases" / "beijing" / "case-a.yaml").write_text(text, encoding="utf-8")
    summary = tmp_path / "summary.md"
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary), NO_PROXY="127.0.0.1,localhost")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_source_links.py"), "cases", "--timeout", "5"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stdout.splitlines() if line.startswith("::warning ")]
    path = "cases/beijing/case-a.yaml"
    assert warnings == [
        f"::warning file={path},line={line_of(text, '/missing')},title=出处链接失效::{local}/missing（HTTP 404）",
        f"::warning file={path},line={line_of(text, refused)},title=出处链接失效::{refused}（连接被拒绝）",
    ]
    report = summary.read_text(encoding="utf-8")
    assert f"<{local}/missing>" in report and f"<{refused}>" in report
    assert "/live" not in report and "/no-head" not in report
    assert "检查了 4 个不同的网址" in report
