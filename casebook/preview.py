"""The live preview (``mkdocs serve``) when a rebuild fails, and after a record is deleted.

MkDocs' development server answers no request while a rebuild is unfinished, and a rebuild that
raised never finishes: every request used to hang until the records were fixed, with the browser
showing the stale page and no sign of the error. The hook (hooks/casebook_hook.py) now lets a
failed rebuild end: nothing is written (the check runs before any file is), the last good site
stays served, and :class:`Preview` puts the checker's problems (or the build's error) in a banner
at the top of every HTML page the server answers, until the next good build removes it.

The banner is added as the page is served, by a WSGI middleware (:meth:`Preview.wsgi`), not written
into the built pages: a dirty rebuild re-renders only the pages whose source changed, and a failed
one renders none. Everything here is plain WSGI and files: no MkDocs import.

A dirty rebuild never deletes a page either: :func:`stale_outputs` names the built files that
belong to generated files the last generation removed (a deleted or renamed case), for the hook
to delete from the served folder.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import jinja2

from .paths import PACKAGE
from .problems import Problem, errors
from .render import LANGS
from .write import MANIFEST

MAX_LINES = 50  # problems listed in the banner; the rest are counted
_BODY = re.compile(rb"<body\b[^>]*>", re.I)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("preview_banner.html.j2")


def banner_html(problems: list[Problem] | None = None, failure: list[str] | None = None) -> str:
    """The banner: the checker's errors as ``path:line: message`` (at most :data:`MAX_LINES`) and
    the number of hints, or else the messages of a build that failed for another reason. Every
    text is escaped (record text can reach a message)."""
    found = errors(problems or [])
    lines = [str(p) for p in found] if failure is None else failure
    return _template().render(
        lines=lines[:MAX_LINES],
        errors=len(lines),
        files=len({p.path for p in found}),
        more=max(0, len(lines) - MAX_LINES),
        hints=len(problems or []) - len(found),
        failure=failure is not None,
    )


def inject(page: bytes, banner: bytes) -> bytes:
    """``page`` with ``banner`` as the first thing in its ``<body>`` (at the start if it has none)."""
    m = _BODY.search(page)
    at = m.end() if m else 0
    return page[:at] + banner + page[at:]


class Preview:
    """What the served pages show about the last rebuild: nothing after a good one, a banner after
    a failed one. Set by the build loop's thread, read by the request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._banner: bytes | None = None
        self._problems: list[Problem] | None = None

    def problems_found(self, problems: list[Problem]) -> None:
        """The checker refused the records in the rebuild under way (it is about to fail)."""
        with self._lock:
            self._problems = list(problems)

    def begin(self) -> None:
        with self._lock:
            self._problems = None

    def failed(self, messages: list[str]) -> None:
        """The rebuild failed: show the checker's problems if it was them, else ``messages``."""
        with self._lock:
            if self._problems is not None:
                html = banner_html(self._problems)
            else:
                html = banner_html(failure=messages)
            self._banner = html.encode("utf-8")

    def succeeded(self) -> None:
        with self._lock:
            self._banner = self._problems = None

    @property
    def banner(self) -> bytes | None:
        return self._banner

    def wsgi(self, app: WSGIApp) -> WSGIApp:
        """``app`` (the development server's) with the banner added to every HTML response."""

        def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
            started: list = []

            def capture(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable:
                started[:] = [status, headers, exc_info]
                return _no_write

            body = app(environ, capture)
            # Read after the inner app returned: it waits for a rebuild under way to end.
            banner = self._banner
            status, headers, exc_info = started
            kind = next((v for k, v in headers if k.lower() == "content-type"), "")
            if banner is None or not kind.startswith("text/html"):
                start_response(status, headers, exc_info)
                return body
            try:
                page = b"".join(body)
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()
            page = inject(page, banner)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            start_response(status, [*headers, ("Content-Length", str(len(page)))], exc_info)
            return [page]

        return serve


class LogCapture(logging.Handler):
    """The warnings and errors logged during one rebuild (what made a failed one fail)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # noqa: BLE001 — a bad log call must not break the rebuild
            self.handleError(record)


def _no_write(data: bytes) -> None:  # the development server never uses WSGI's write()
    raise RuntimeError("write() is not supported behind the preview banner")


def generated_files(docs: Path) -> set[str]:
    """The files (relative to ``docs``) the last generation wrote, from its manifest."""
    try:
        text = (docs / MANIFEST).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return set()
    return {line for line in text.split("\n") if line}


def stale_outputs(removed: Iterable[str]) -> list[str]:
    """The built files (relative to the site folder) that came from the generated ``removed`` files.

    ``cases/x.md`` and ``cases/x.en.md`` are built to ``cases/x.html`` and ``en/cases/x.html`` (the
    English build falls back to the Chinese page); a data file is copied to the same place in each
    language. Deleting a built file that is still wanted costs nothing: a dirty rebuild writes
    every page and file whose output is missing.
    """
    out: set[str] = set()
    suffixes = tuple(f".{lang}.md" for lang in LANGS if lang != "zh")
    for rel in removed:
        parts = rel.split("/")
        if any(p in ("", ".", "..") for p in parts):
            continue  # a manifest line never names anything outside the generated folders
        if rel.endswith(".md"):
            base = next((rel[: -len(s)] for s in suffixes if rel.endswith(s)), rel[: -len(".md")])
            built = base + ".html"
        else:
            built = rel
        out.add(built)
        out.update(f"{lang}/{built}" for lang in LANGS if lang != "zh")
    return sorted(out)


def remove_outputs(site: Path, rels: Iterable[str]) -> int:
    """Delete ``rels`` from the served ``site`` folder (regular files only); the number deleted."""
    n = 0
    for rel in rels:
        target = site / rel
        try:
            if target.is_file() and not target.is_symlink():
                target.unlink()
                n += 1
        except OSError:
            continue
    return n
