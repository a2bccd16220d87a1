"""The live preview's banner after a failed rebuild, and the built files of removed pages
(casebook/preview.py); in a real `mkdocs serve --dirty`: tests/test_serve.py."""

from __future__ import annotations

import io

from casebook.preview import (
    MAX_LINES,
    LogCapture,
    Preview,
    banner_html,
    generated_files,
    inject,
    remove_outputs,
    stale_outputs,
)
from casebook.problems import Problem
from casebook.write import MANIFEST


def test_banner_lists_the_errors_escaped_and_counts_the_hints():
    hostile = '<script>alert(1)</script> & "x"'
    problems = [
        Problem("cases/a/x.yaml", 3, f"title “{hostile}” 不对"),
        Problem("cases/a/x.yaml", 9, "提示一", warning=True),
        Problem("cases/b/y.yaml", 1, "YAML 格式错误"),
    ]
    html = banner_html(problems)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in html
    assert "<li>cases/b/y.yaml:1: YAML 格式错误</li>" in html
    assert html.count("<li>") == 2  # the hint is counted, not listed
    assert "案例记录有 2 个问题（2 个文件）" in html and "另有 1 条提示" in html
    assert 'role="alert"' in html


def test_banner_lists_at_most_max_lines():
    problems = [Problem("cases/a/x.yaml", n, "错") for n in range(1, MAX_LINES + 8)]
    html = banner_html(problems)
    assert html.count("<li>") == MAX_LINES and "还有 7 个问题没有列出" in html


def test_banner_of_another_failure_shows_its_messages():
    html = banner_html(failure=["Template syntax error: <b>"])
    assert "构建失败" in html and "<li>Template syntax error: &lt;b&gt;</li>" in html
    assert "案例记录有" not in html


def test_inject_puts_the_banner_first_in_the_body():
    page = b'<html><head><title>t</title></head><body dir="ltr" class="x">\n<p>page</p></body></html>'
    assert inject(page, b"<div>B</div>") == (
        b'<html><head><title>t</title></head><body dir="ltr" class="x"><div>B</div>\n<p>page</p></body></html>'
    )
    assert inject(b"<p>no body</p>", b"<div>B</div>") == b"<div>B</div><p>no body</p>"


def test_the_checkers_problems_stay_until_a_good_rebuild():
    preview = Preview()
    assert preview.banner is None
    preview.begin()
    preview.problems_found([Problem("cases/a/x.yaml", 5, "坏了")])
    preview.failed(["Aborted with a BuildError!"])
    assert b"cases/a/x.yaml:5: " in preview.banner and b"Aborted" not in preview.banner
    preview.begin()  # the next rebuild fails for another reason: its messages replace the problems
    preview.failed(["Aborted with 1 warnings in strict mode!"])
    assert b"x.yaml" not in preview.banner and b"strict mode" in preview.banner
    preview.begin()
    preview.succeeded()
    assert preview.banner is None


def _call(app, path="/x.html"):
    out = {}

    def start_response(status, headers, exc_info=None):
        out["status"], out["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return out["status"], out["headers"], body


def test_the_middleware_adds_the_banner_to_html_responses_only():
    page = b"<html><body><p>page</p></body></html>"

    def server(environ, start_response):
        html = environ["PATH_INFO"].endswith(".html")
        data = page if html else b"body{}"
        kind = "text/html" if html else "text/css"
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(data)))])
        return io.BytesIO(data)  # a file-like iterable, as wsgiref's FileWrapper

    preview = Preview()
    app = preview.wsgi(server)
    assert _call(app)[2] == page  # no banner after a good build
    preview.begin()
    preview.problems_found([Problem("cases/a/x.yaml", 2, "坏了")])
    preview.failed([])
    status, headers, body = _call(app)
    assert status == "200 OK" and body.startswith(b'<html><body><div id="cb-preview-problems"')
    assert body.endswith(b"<p>page</p></body></html>") and int(headers["Content-Length"]) == len(body)
    assert _call(app, "/assets/x.css")[2] == b"body{}"
    preview.succeeded()
    assert _call(app)[2] == page


def test_built_files_of_removed_pages():
    removed = {"cases/x.md", "cases/x.en.md", "years/2020.md", "data/old.json", "../escape.md", "cases//y.md"}
    assert stale_outputs(removed) == [
        "cases/x.html",
        "data/old.json",
        "en/cases/x.html",
        "en/data/old.json",
        "en/years/2020.html",
        "years/2020.html",
    ]


def test_remove_outputs_deletes_files_only(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases/x.html").write_text("old")
    (tmp_path / "cases/keep").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.html"
    outside.write_text("not ours")
    (tmp_path / "cases/link.html").symlink_to(outside)
    assert remove_outputs(tmp_path, ["cases/x.html", "cases/keep", "cases/link.html", "cases/none.html"]) == 1
    assert not (tmp_path / "cases/x.html").exists() and (tmp_path / "cases/keep").is_dir() and outside.exists()


def test_generated_files_reads_the_manifest(tmp_path):
    assert generated_files(tmp_path) == set()
    (tmp_path / MANIFEST).write_text("cases/a.md\ncases/b.en.md\n", encoding="utf-8")
    assert generated_files(tmp_path) == {"cases/a.md", "cases/b.en.md"}


def test_log_capture_keeps_warnings_and_errors():
    import logging

    logger = logging.getLogger("casebook-test-preview")
    capture = LogCapture()
    logger.addHandler(capture)
    try:
        logger.info("info")
        logger.warning("a %s", "warning")
        logger.error("an error")
    finally:
        logger.removeHandler(capture)
    assert capture.messages == ["a warning", "an error"]
