"""The source-link checker: addresses found with their file and line, HEAD then GET, bounds, reports
that warn without failing, and no request to a loopback, private or otherwise non-public address.

Every request goes to a server on 127.0.0.1 (or to a closed port there); no outside host is ever
contacted and no name is looked up in DNS. Tests that need a public host name use ``public.test``:
the checker resolves it (through :func:`fake_network`) to a public address, checks that address,
and the test's connect function sends the connection to the local server instead.
"""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter

import pytest

from casebook import linkcheck
from casebook.linkcheck import LinkResult, SourceUrl, address_problem, check_all, check_url, collect_urls

from .conftest import CORPUS, ROOT

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
PUBLIC_IP = "93.184.215.14"  # a public address the tests never reach: connections to it go to 127.0.0.1
HOSTS = {  # what the fake resolver answers; any other name is unknown (no DNS query is ever made)
    "public.test": [PUBLIC_IP],
    "mixed.test": [PUBLIC_IP, "127.0.0.1"],  # one bad address is enough to refuse a host
    "intranet.test": ["10.0.0.5"],
    "metadata.test": ["169.254.169.254"],
    "ula.test": [PUBLIC_IP, "fd00::5"],
    "mapped.test": ["::ffff:127.0.0.1"],
}
CONNECTS: list[tuple] = []  # every address the checker connected to, in this process


def fake_network(module=linkcheck, setattr=setattr) -> None:  # noqa: A002
    """Point the checker's resolver and connect function at the fakes above (also in a subprocess)."""

    def resolve(host, port):
        if host in HOSTS:
            return [
                (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in HOSTS[host]
            ]
        try:  # an IP address written in any form (2130706433, 0x7f.1, [::1]) resolves without DNS
            return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
        except socket.gaierror:
            raise socket.gaierror(socket.EAI_NONAME, f"unknown test host {host}") from None

    def connect(sock, sockaddr):
        CONNECTS.append(sockaddr)
        if sockaddr[0] == PUBLIC_IP:
            sock.connect(("127.0.0.1", sockaddr[1]))
        elif sockaddr[0] == "127.0.0.1":  # only if the guard let it through: the test then sees the answer
            sock.connect(sockaddr)
        else:
            raise ConnectionRefusedError(f"the tests reach no other address: {sockaddr}")

    setattr(module, "_resolve", resolve)
    setattr(module, "_connect", connect)


HITS: Counter = Counter()  # requests the local server answered, by path


class _Handler(http.server.BaseHTTPRequestHandler):
    """/live answers 200, /no-head refuses HEAD (405) but answers GET, /redirect?to=URL answers 302
    to URL, everything else is 404."""

    def _answer(self, body: bool) -> None:
        path, _, query = self.path.partition("?")
        HITS[path] += 1
        location = urllib.parse.parse_qs(query).get("to", [None])[0]
        if path == "/redirect" and location:
            status = 302
        elif path == "/live" or (path == "/no-head" and self.command == "GET"):
            status = 200
        elif path == "/no-head":
            status = 405
        else:
            status = 404
        self.send_response(status)
        if status == 302:
            self.send_header("Location", location)
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
def port() -> int:
    """The local server (on 127.0.0.1) behind ``public.test``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def local(port) -> str:
    return f"http://public.test:{port}"


@pytest.fixture(scope="module")
def loopback(port) -> str:
    """The same server, named by its loopback address."""
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def refused() -> str:
    """An address where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://public.test:{port}/gone"


@pytest.fixture(autouse=True)
def _no_proxy_no_dns(monkeypatch):
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake_network(linkcheck, monkeypatch.setattr)
    HITS.clear()
    CONNECTS.clear()


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
    found = collect_urls([CORPUS])  # the frozen copy of the real records (tests/corpus)
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
    redirected = check_url(local + "/redirect?to=/live", timeout=5)
    assert redirected.ok and HITS["/live"] == 2  # a public redirect is followed


BOOT = """
import runpy, sys
sys.path.insert(0, {root!r})
from casebook import linkcheck
from tests.test_linkcheck import fake_network
fake_network(linkcheck)
sys.argv = [{script!r}, *{args!r}]
runpy.run_path({script!r}, run_name="__main__")
"""


def test_script_warns_and_summarises_without_failing(tmp_path, local, refused, loopback):
    (tmp_path / "cases" / "beijing").mkdir(parents=True)
    urls = [local + "/live", local + "/missing", refused, local + "/no-head", loopback + "/live"]
    text = record("case-a", urls)
    (tmp_path / "cases" / "beijing" / "case-a.yaml").write_text(text, encoding="utf-8")
    summary = tmp_path / "summary.md"
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary), NO_PROXY="127.0.0.1,localhost")
    script = str(ROOT / "scripts" / "check_source_links.py")
    boot = BOOT.format(root=str(ROOT), script=script, args=["cases", "--timeout", "5"])
    proc = subprocess.run(
        [sys.executable, "-c", boot], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stdout.splitlines() if line.startswith("::warning ")]
    path = "cases/beijing/case-a.yaml"
    port = loopback.rsplit(":", 1)[1]
    assert warnings == [
        f"::warning file={path},line={line_of(text, '/missing')},title=出处链接失效::{local}/missing（HTTP 404）",
        f"::warning file={path},line={line_of(text, refused)},title=出处链接失效::{refused}（连接被拒绝）",
        f"::warning file={path},line={line_of(text, loopback)},title=出处链接失效::{loopback}/live"
        f"（不访问非公网地址：127.0.0.1 解析为 127.0.0.1（本机地址））",
    ], port
    report = summary.read_text(encoding="utf-8")
    assert f"<{local}/missing>" in report and f"<{refused}>" in report and f"<{loopback}/live>" in report
    assert f"<{local}/live>" not in report and "/no-head" not in report
    assert "检查了 5 个不同的网址" in report


# --- no request to a non-public address ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:93.184.215.14",
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        "2002:a00:1::1",  # 6to4 around 10.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert address_problem(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700::1111", "64:ff9b::808:808"])
def test_public_addresses_are_allowed(address):
    assert address_problem(address) is None


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "2130706433", "0x7f.1", "0", "[::1]", "[::ffff:127.0.0.1]", "mixed.test", "mapped.test"],
)
def test_a_server_on_loopback_is_never_asked(port, host):
    url = f"http://{host}:{port}/live"
    r = check_url(url, timeout=5)
    assert not r.ok and r.status is None and "不访问非公网地址" in r.error, r
    assert Counter() == HITS and not [a for a in CONNECTS if a[0] != PUBLIC_IP]


@pytest.mark.parametrize("host", ["intranet.test", "metadata.test", "ula.test"])
def test_private_hosts_are_never_connected(host):
    r = check_url(f"https://{host}/x", timeout=5)
    assert not r.ok and "不访问非公网地址" in r.error
    assert CONNECTS == []  # refused before any connection, to any of its addresses


@pytest.mark.parametrize(
    "target",
    [
        "{loopback}/live",
        "http://localhost.test:{port}/live",
        "http://mixed.test:{port}/live",
        "http://intranet.test/admin",
        "http://[::1]:{port}/live",
        "http://2130706433:{port}/live",
    ],
)
def test_a_redirect_to_a_non_public_address_is_refused(local, loopback, port, target):
    target = target.format(loopback=loopback, port=port)
    r = check_url(local + "/redirect?to=" + urllib.parse.quote(target, safe=""), timeout=5)
    assert not r.ok and r.status is None, r
    assert HITS["/redirect"] >= 1 and HITS["/live"] == 0  # the public hop was asked, the private one never
    assert not [a for a in CONNECTS if a[0] != PUBLIC_IP]


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/x", "file:///etc/passwd", "data:text/plain,x"])
def test_a_redirect_leaves_http_only_for_http(local, target):
    r = check_url(local + "/redirect?to=" + urllib.parse.quote(target, safe=""), timeout=5)
    assert not r.ok and r.status is None and r.error, r
    assert not [a for a in CONNECTS if a[0] != PUBLIC_IP]


def test_a_redirect_chain_is_checked_at_every_hop(local, loopback, port):
    """public → public → loopback: refused at the third hop."""
    inner = urllib.parse.quote(loopback + "/live", safe="")
    hop = urllib.parse.quote(f"{local}/redirect?to={inner}", safe="")
    r = check_url(f"{local}/redirect?to={hop}", timeout=5)
    assert not r.ok and "127.0.0.1" in r.error
    assert HITS["/redirect"] == 2 and HITS["/live"] == 0


def test_report_shows_hostile_addresses_as_text():
    """A record's address reaches the job summary, the annotations and the terminal as inert text."""
    urls = [
        "https://a.example/x ![t](https://tracker.example/p.png)",
        "javascript:alert(1)|<img src=x onerror=alert(1)>",
        "https://a.example/\x1b[2J\nnext",
    ]
    items = [SourceUrl("cases/a|b.yaml", n + 2, u) for n, u in enumerate(urls)]
    results = {u: check_url(u, lambda *a: 404) for u in urls}
    report = linkcheck.summary_markdown(items, results)
    rows = [line for line in report.splitlines() if line.startswith("| `cases")]
    assert len(rows) == 3
    for row in rows:
        assert row.count(" | ") == 3  # four cells: no "|" from a record splits one
    assert "![" not in report and "](" not in report and "<img" not in report and "\x1b" not in report
    assert "\\!\\[t\\]\\(https://tracker.example/p.png\\)" in report
    found = linkcheck.dead(items, results)
    for line in linkcheck.annotations(found) + linkcheck.text_lines(found):
        assert "\x1b" not in line and "\n" not in line and "\r" not in line
