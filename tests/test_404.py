"""The not-found page (overrides/404.html): one self-contained, bilingual file that a static host
sends for every missing address at any depth, here under a sub-path, in headless Chromium."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

PREFIX = "/sub/"


def _handler(site: Path):
    class Handler(http.server.BaseHTTPRequestHandler):
        """Serves ``site`` under /sub/ and answers every missing /sub/… with /sub/404.html (status 404),
        as GitHub Pages, nginx ``error_page 404`` and the like do."""

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(PREFIX):
                return self._send(404, b"", "text/plain")
            rel = path[len(PREFIX) :] or "index.html"
            target = (site / rel).resolve()
            if site in target.parents and target.is_file():
                kind = "text/html; charset=utf-8" if target.suffix == ".html" else "application/octet-stream"
                return self._send(200, target.read_bytes(), kind)
            return self._send(404, (site / "404.html").read_bytes(), "text/html; charset=utf-8")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def sub_base(corpus_site) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(corpus_site.resolve()))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()


def test_the_file_is_self_contained_and_chinese_first(corpus_site):
    page = (corpus_site / "404.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="zh"', page)
    assert page.index("页面不存在") < page.index("Page not found")
    assert '<section lang="en">' in page
    # nothing to fetch: no stylesheet, script, image, font or frame from anywhere
    assert not re.search(r"<link\b[^>]*stylesheet|<script\b[^>]*\bsrc=|<img\b|<iframe\b|url\(|@import", page)
    # no root-absolute address, no page of one language standing in for the home page
    assert not re.search(r'(href|src)="/', page) and "years/" not in page
    assert "md-header" not in page  # not the theme's page with its menus
    en_copy = corpus_site / "en" / "404.html"
    if en_copy.exists():
        assert en_copy.read_text(encoding="utf-8") == page


MISSING = [
    "no-such-page.html",
    "cases/withdrawn-case.html",
    "en/cases/withdrawn-case.html",
    "regions/520000/deeper/still/x.html",
    "en/no-such-page.html",
    "nowhere/at/all.html",
]


@pytest.mark.parametrize("missing", MISSING)
def test_any_missing_address_under_a_sub_path_gets_a_working_page(browser, sub_base, missing):
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    # Chromium logs the page's own 404 status as an error: any other error is one
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and m.location["url"] != sub_base + missing else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(sub_base + missing)
    assert response is not None and response.status == 404
    assert requests == [sub_base + missing]  # the page itself, nothing else
    assert errors == []
    assert page.locator("h1").first.inner_text() == "页面不存在"
    assert page.locator("section[lang=en] h1").inner_text() == "Page not found"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"PingFang SC"')

    home = page.get_by_role("link", name="返回首页")
    english = page.get_by_role("link", name="English home page")
    if missing.startswith("nowhere/"):
        # no folder of the site in the address: the plain relative links stay (no way to know the root)
        assert home.get_attribute("href") == "index.html"
    else:
        # the root found from the address (a top-level page: the plain relative links are right)
        root = page.evaluate("document.documentElement.dataset.cbRoot")
        assert root == (PREFIX if "/" in missing else None)
        assert home.evaluate("a => a.href") == sub_base + "index.html"
        assert english.evaluate("a => a.href") == sub_base + "en/index.html"
        assert page.get_by_role("link", name="搜索案例").evaluate("a => a.href") == sub_base + "search/index.html"
        with page.expect_navigation():
            home.click()
        assert page.url == sub_base + "index.html"
        assert page.title().startswith("党建引领新就业群体")
    context.close()


def test_the_missing_address_is_shown_as_text(browser, sub_base):
    context = browser.new_context()
    page = context.new_page()
    page.goto(sub_base + "cases/%3Cb%3Ex%3C%2Fb%3E.html")
    shown = page.locator("#cb-missing")
    assert shown.inner_text() == "/sub/cases/<b>x</b>.html"
    assert shown.locator("b").count() == 0
    context.close()


def test_phone_width_has_no_overflow(browser, sub_base):
    context = browser.new_context(viewport={"width": 390, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    page.goto(sub_base + "en/cases/withdrawn-case.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # stacked: Chinese above English
    zh = page.locator("section").first.bounding_box()
    en = page.locator("section[lang=en]").bounding_box()
    assert zh is not None and en is not None and zh["y"] + zh["height"] <= en["y"]
    context.close()
