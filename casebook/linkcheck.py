"""Check that the web addresses of the records' sources (``sources[].url``) still answer.

Pure functions with an injectable fetcher, so the tests never leave 127.0.0.1:

- :func:`collect_urls` finds every ``sources[].url`` with its file and line (``casebook.load``);
- :func:`check_url` asks with HEAD, then with GET when HEAD fails (many servers refuse HEAD),
  each with a timeout; :func:`check_all` checks each distinct address once, a bounded number at a time,
  within a bounded number of addresses and a time budget;
- :func:`annotations` and :func:`summary_markdown` report the dead ones as CI warnings and as a
  job-summary table. A dead link is worth a look, not a failed run: the caller exits 0.
"""

from __future__ import annotations

import http.client
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
    """Every ``*.yaml``/``*.yml`` file under ``paths`` (files are taken as given), sorted."""
    found: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found.update(q for q in p.rglob("*.y*ml") if q.is_file() and q.suffix in (".yaml", ".yml"))
        else:
            found.add(p)
    return sorted(found)


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


def urllib_fetch(url: str, method: str, timeout: float) -> int:
    """The default fetcher: one request with urllib (redirects followed, body not read)."""
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
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc.reason, str):
        exc = exc.reason  # type: ignore[assignment]
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
        + _escape_data(f"{i.url}（{r.describe()}）")
        for i, r in found
    ]


def text_lines(found: list[tuple[SourceUrl, LinkResult]]) -> list[str]:
    """The same as ``path:line: message`` lines, for a terminal."""
    return [f"{i.path}:{i.line}: 出处链接失效：{i.url}（{r.describe()}）" for i, r in found]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
            lines.append(f"| `{_cell(i.path)}` | {i.line} | <{_cell(i.url)}> | {_cell(r.describe())} |")
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
