"""Check that the web addresses of the records' sources (``sources[].url``) still answer.

Pure functions with an injectable fetcher, so the tests never leave 127.0.0.1:

- :func:`collect_urls` finds every ``sources[].url`` with its file and line (``casebook.load``);
- :func:`check_url` asks with HEAD, then with GET when HEAD fails (many servers refuse HEAD),
  each with a timeout; :func:`check_all` checks each distinct address once, a bounded number at a time,
  within a bounded number of addresses and a time budget;
- :func:`annotations` and :func:`summary_markdown` report the dead ones as CI warnings and as a
  job-summary table. A dead link is worth a look, not a failed run: the caller exits 0.

The addresses come from records anyone may propose, and the check runs on CI runners that often sit
inside an intranet (self-hosted Gitea/Forgejo runners). So the default fetcher talks only to public
hosts: every connection, the first and the one after each redirect, resolves the host name, refuses
it when any address it resolves to is loopback, private, link-local, unspecified, multicast,
reserved, IPv6 unique-local or site-local, or such an address inside an IPv4-mapped, 6to4 or NAT64
IPv6 address (:func:`address_problem`), and then connects to the very addresses it checked (no
second lookup a DNS answer could change in between). Redirects go to http/https only; no proxy
from the environment is used (a proxy would make the request to whatever address the record names).
"""

from __future__ import annotations

import html
import http.client
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .load import load_file

USER_AGENT = "casebook-linkcheck/1 (source link check of a static case archive)"
TIMEOUT = 15.0  # seconds, per request
WORKERS = 8  # requests at a time
MAX_URLS = 2000  # addresses per run; the rest are reported as not checked
BUDGET = 15 * 60.0  # seconds: no new request starts after this

# fetch(url, method, timeout) -> HTTP status (redirects followed); raises OSError when there is no answer.
Fetcher = Callable[[str, str, float], int]
_FAILURES = (OSError, ValueError, http.client.HTTPException)  # URLError, timeouts, refusals are OSErrors


@dataclass(frozen=True)
class SourceUrl:
    """One ``sources[].url`` of one record, where an editor will find it."""

    path: str
    line: int
    url: str
    case_id: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None = None  # the last HTTP status, None when no answer came
    error: str | None = None  # why there was no answer
    method: str = "HEAD"  # the request that decided

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    def describe(self) -> str:
        if self.status is not None:
            return f"HTTP {self.status}"
        return self.error or "无响应"


def record_files(paths: Iterable[Path]) -> list[Path]:
    """The record files under ``paths``, found as the checker and the build find them (links and
    other entries it reports are refused by :func:`load_file` without being read)."""
    from .check import find_records

    return find_records(paths)


def _shown(p: Path) -> str:
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def collect_urls(paths: Iterable[Path]) -> list[SourceUrl]:
    """Every non-empty ``sources[i].url`` in the records under ``paths``, with its file and line."""
    out: list[SourceUrl] = []
    for f in record_files(paths):
        rec = load_file(f, _shown(f))
        data = rec.data
        if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
            continue
        case_id = data.get("id") if isinstance(data.get("id"), str) else None
        for i, src in enumerate(data["sources"]):
            if not isinstance(src, dict):
                continue
            url = src.get("url")
            if isinstance(url, str) and url.strip():
                key = src.get("key") if isinstance(src.get("key"), str) else None
                out.append(SourceUrl(rec.path, rec.line(("sources", i, "url")), url.strip(), case_id, key))
    return out


# --- only public hosts -------------------------------------------------------------------------------


class BlockedAddress(OSError):
    """The host of an address (or of a redirect) resolves to an address the check must not reach."""

    def __init__(self, host: str, address: str, why: str):
        super().__init__(f"{host} → {address}（{why}）")
        self.host, self.address, self.why = host, address, why


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def address_problem(address: str) -> str | None:
    """Why the check must not connect to ``address`` (an IP address as text), or None for a public one.

    An IPv6 address that carries an IPv4 one is judged by that too: IPv4-mapped (always refused),
    6to4 and Teredo (both must be public), NAT64 ``64:ff9b::/96`` (by the IPv4 address alone, so
    that DNS64 networks still reach public IPv4 hosts)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is no help
    except ValueError:
        return "不是 IP 地址"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"IPv4 映射地址，{_ip_problem(ip.ipv4_mapped) or '公网'} {ip.ipv4_mapped}"
        if ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            why = _ip_problem(inner)
            return f"{why} {inner}，经 NAT64" if why else None
        for inner in (ip.sixtofour, *(ip.teredo or ())):
            why = inner is not None and _ip_problem(inner)
            if why:
                return f"{why} {inner}，内嵌于 IPv6 地址"
    return _ip_problem(ip)


def _ip_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if ip.is_unspecified:
        return "未指定地址"
    if ip.is_loopback:
        return "本机地址"
    if ip.is_link_local:
        return "链路本地地址"
    if ip.is_multicast:
        return "组播地址"
    if ip.is_reserved:
        return "保留地址"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "站点本地地址"
    if ip.is_private:
        return "内网地址"
    if not ip.is_global:  # 100.64.0.0/10 (carrier-grade NAT) and the like
        return "非公网地址"
    return None


def _resolve(host: str, port: int) -> list[tuple]:
    """``getaddrinfo`` for a TCP connection to ``host`` (a seam for the tests)."""
    return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)


def _connect(sock: socket.socket, sockaddr: tuple) -> None:
    """Connect ``sock`` to an address already checked (a seam for the tests)."""
    sock.connect(sockaddr)


def public_connection(address: tuple[str, int], timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):  # noqa: ANN001
    """``socket.create_connection`` for public hosts only: every address the host name resolves to
    is checked (one bad address refuses the host), then the checked addresses are tried in turn."""
    host, port = address
    infos = _resolve(host, port)
    for info in infos:
        why = address_problem(str(info[4][0]))
        if why:
            raise BlockedAddress(host, str(info[4][0]), why)
    if not infos:
        raise OSError(f"{host} 没有地址")
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            _connect(sock, sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error  # type: ignore[misc]


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._create_connection = public_connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._create_connection = public_connection  # then TLS to the host name, as usual


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request):
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


class _HttpRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http and https addresses only: urllib alone would follow ftp:// and answer a
    redirect to file: or data: with the 3xx status itself, which would read as a live link."""

    def http_error_302(self, req, fp, code, msg, headers):  # noqa: ANN001, ANN201
        location = headers.get("location") or headers.get("uri")
        if location:
            scheme = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, location)).scheme.lower()
            if scheme not in ("http", "https"):
                fp.close()
                raise urllib.error.URLError(f"重定向到非 http/https 地址：{location}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    """http and https to public hosts, redirects followed; no proxies, no ftp:, file: or data:."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        _PublicHTTPHandler(),
        _PublicHTTPSHandler(),
        _HttpRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


def urllib_fetch(url: str, method: str, timeout: float) -> int:
    """The default fetcher: one request with urllib (redirects followed, body not read), to public
    hosts only (:func:`public_connection`)."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        host = (parts.hostname or "").encode("idna").decode("ascii")
        netloc = f"{host}:{parts.port}" if parts.port else host
    url = urllib.parse.urlunsplit(
        (
            parts.scheme,
            netloc,
            urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=~"),
            urllib.parse.quote(parts.query, safe="=&%:@!$'()*+,;/?~"),
            "",
        )
    )  # Chinese paths and host names, as a browser would send them; the fragment is never sent
    req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _opener().open(req, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def _blocked(exc: BaseException) -> BlockedAddress | None:
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BlockedAddress):
        return exc.reason
    return exc if isinstance(exc, BlockedAddress) else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc.reason, str):
        exc = exc.reason  # type: ignore[assignment]
    if isinstance(exc, BlockedAddress):
        return f"不访问非公网地址：{exc.host} 解析为 {exc.address}（{exc.why}）"
    if isinstance(exc, TimeoutError):
        return "超时"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝"
    text = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def check_url(url: str, fetch: Fetcher = urllib_fetch, timeout: float = TIMEOUT) -> LinkResult:
    """HEAD first; when it fails (no answer or status ≥ 400), the GET answer decides."""
    if not url.lower().startswith(("http://", "https://")):
        return LinkResult(url, error="不是 http/https 地址", method="-")
    try:
        status = fetch(url, "HEAD", timeout)
        if status < 400:
            return LinkResult(url, status=status, method="HEAD")
    except _FAILURES as exc:
        if isinstance(exc, ValueError):
            return LinkResult(url, error=f"地址无效：{exc}", method="HEAD")
        if _blocked(exc):  # a GET would go to the same place
            return LinkResult(url, error=_reason(exc), method="HEAD")
    try:
        return LinkResult(url, status=fetch(url, "GET", timeout), method="GET")
    except _FAILURES as exc:
        return LinkResult(url, error=_reason(exc), method="GET")


def check_all(
    items: Iterable[SourceUrl],
    fetch: Fetcher = urllib_fetch,
    *,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    max_urls: int = MAX_URLS,
    budget: float | None = BUDGET,
) -> tuple[dict[str, LinkResult], list[str]]:
    """Check each distinct address once, ``workers`` at a time, at most ``max_urls`` of them, and
    start none after ``budget`` seconds (so a run of slow hosts still ends in bounded time).

    Returns the results by address and the addresses left unchecked because of a bound.
    """
    urls = list(dict.fromkeys(i.url for i in items))
    todo, skipped = urls[:max_urls], urls[max_urls:]
    stop = None if budget is None else time.monotonic() + budget

    def one(url: str) -> LinkResult | None:
        if stop is not None and time.monotonic() > stop:
            return None
        return check_url(url, fetch, timeout)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(one, todo))
    done = {r.url: r for r in results if r is not None}
    return done, skipped + [u for u, r in zip(todo, results, strict=True) if r is None]


def dead(items: Iterable[SourceUrl], results: dict[str, LinkResult]) -> list[tuple[SourceUrl, LinkResult]]:
    """The records' addresses that did not answer well, in file and line order."""
    out = [(i, results[i.url]) for i in items if i.url in results and not results[i.url].ok]
    return sorted(out, key=lambda pair: (pair[0].path, pair[0].line))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(found: list[tuple[SourceUrl, LinkResult]]) -> list[str]:
    """One ``::warning file=…,line=…::`` workflow command per dead address."""
    return [
        f"::warning file={_escape_property(i.path)},line={max(i.line, 1)},title=出处链接失效::"
        + _escape_data(_visible(f"{i.url}（{r.describe()}）"))
        for i, r in found
    ]


def text_lines(found: list[tuple[SourceUrl, LinkResult]]) -> list[str]:
    """The same as ``path:line: message`` lines, for a terminal."""
    return [
        f"{_visible(i.path)}:{i.line}: 出处链接失效：{_visible(i.url)}（{_visible(r.describe())}）" for i, r in found
    ]


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN_URL = re.compile(r"https?://[^\s<>\"'`|\\\x00-\x1f\x7f-\x9f]+")


def _visible(text: str) -> str:
    """Control characters (a terminal escape, a line break) shown as ``\\xNN``, never acted on."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


_MARKDOWN = re.compile(r"([\\`*_\[\]()!#~|])")


def _cell(text: str) -> str:
    """Text in a Markdown table cell: one line, no cell break, no HTML, no link or image
    (docs-notes/escaping.md)."""
    return _MARKDOWN.sub(r"\\\1", html.escape(_visible(text), quote=False))


def _url_cell(url: str) -> str:
    """An autolink when the address is plain, else the address as text."""
    return f"<{url}>" if _PLAIN_URL.fullmatch(url) else _cell(url)


def _path_cell(path: str) -> str:
    return f"`{_visible(path)}`".replace("|", "\\|") if "`" not in path else _cell(path)


def summary_markdown(items: list[SourceUrl], results: dict[str, LinkResult], skipped: list[str] | None = None) -> str:
    """A Markdown report for ``$GITHUB_STEP_SUMMARY``."""
    found = dead(items, results)
    lines = ["## 出处链接检查 / Source link check", ""]
    lines.append(
        f"检查了 {len(results)} 个不同的网址（{len(items)} 处引用），失效 {len({i.url for i, _ in found})} 个。"
        f" Checked {len(results)} distinct URLs ({len(items)} uses); {len({i.url for i, _ in found})} dead."
    )
    lines.append("")
    if found:
        lines += ["| 记录 / record | 行 / line | 网址 / URL | 结果 / result |", "|---|---|---|---|"]
        for i, r in found:
            lines.append(f"| {_path_cell(i.path)} | {i.line} | {_url_cell(i.url)} | {_cell(r.describe())} |")
        lines += [
            "",
            "失效的链接不会让这次运行失败：请核对原文是否已迁移，改用新网址或存档文件（`file`），"
            "并在 `notes` 里说明。 A dead link does not fail the run.",
        ]
    else:
        lines.append("没有发现失效的链接。 No dead links.")
    if skipped:
        lines += [
            "",
            f"超出数量或时间上限、本次未检查的网址：{len(skipped)} 个。 Not checked (over a limit): {len(skipped)}.",
        ]
    return "\n".join(lines) + "\n"
