"""Print styles and the meeting pack (casebook/pack.py, docs/assets/pack.js, print.css): the archive is
named on every printed page, table rows are never split, each case of a pack starts a new page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from casebook import pack

BIJIE = "bijie-five-systems-urban-party-building"
ARCHIVE = "党建引领新就业群体·典型案例库"
PDFTOTEXT = shutil.which("pdftotext")


def test_ui_script_has_labels_in_both_languages():
    text = pack.ui_script().decode("utf-8")
    assert text.startswith("window.cbPackUi=") and text.endswith(";\n")
    data = json.loads(text[len("window.cbPackUi=") : -2])
    assert data["max"] == 30
    assert data["page"] == {"zh": "search/pack.html", "en": "en/search/pack.html"}
    for lang in ("zh", "en"):
        assert data[lang]["archive_name"] == ARCHIVE
        assert "{n}" in data[lang]["pack_button"]
        assert data[lang]["print_record_id"] and data[lang]["pack_needs_server"]


def test_pack_pages_and_case_pages_within_budget(corpus_site: Path):
    for lang_dir in ("", "en/"):
        page = (corpus_site / f"{lang_dir}search/pack.html").read_text(encoding="utf-8")
        assert 'id="cb-pack"' in page and "pack.js" in page and "print.css" in page
    for html in [*corpus_site.glob("cases/*.html"), *corpus_site.glob("en/cases/*.html")]:
        assert html.stat().st_size <= 30_720, html


def _pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def _split_rows(page, pages: list[str]) -> list[str]:
    """Figure rows whose first cell (what is counted) is not whole on one printed page (compared without white space, as a
    cell's lines wrap in the PDF's text)."""
    rows = page.evaluate(
        "() => Array.from(document.querySelectorAll('.cb-numbers tbody tr:not(.cb-group)'))"
        ".map(tr => tr.cells[0].innerText.replace(/\\s+/g, ''))"
    )
    flat = ["".join(p.split()) for p in pages]
    assert rows
    return [r for r in rows if not any(_in_order(r, f) for f in flat)]


def _in_order(row: str, text: str) -> bool:
    """``row``'s characters appear in ``text`` in order, within a short stretch (pdftotext puts the
    cells of a row side by side, a wrapped cell's second line after the row's first)."""
    at = text.find(row[:4])
    while at >= 0:
        i, j = at, 0
        while j < len(row) and i < len(text) and i - at < len(row) * 3:
            if text[i] == row[j]:
                j += 1
            i += 1
        if j == len(row):
            return True
        at = text.find(row[:4], at + 1)
    return False


# the English Fufeng page has a two-line figure row that falls across a page when rows may split
@pytest.mark.parametrize(
    ("lang_dir", "case_id", "printed"), [("", BIJIE, "打印日期"), ("en/", "fufeng-sanjia-project", "Printed")]
)
def test_case_page_print_names_archive_and_record(
    corpus_site: Path, serve, page, tmp_path: Path, lang_dir: str, case_id: str, printed: str
):
    base = serve(corpus_site.parent, "site/")
    page.goto(base + f"{lang_dir}cases/{case_id}.html")
    page.emulate_media(media="print")
    head = page.locator(".cb-printhead")
    assert head.is_visible()
    text = head.inner_text()
    assert ARCHIVE in text and case_id in text and f"/site/{lang_dir}cases/" in text and printed in text
    # headings stay with their text; table rows are not split; the figures table is not clipped
    h2 = page.locator(".md-typeset h2").first
    assert h2.evaluate("e => getComputedStyle(e).breakAfter") == "avoid"
    assert page.locator(".cb-numbers tr").first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    table = page.locator(".cb-numbers table")
    assert table.evaluate("e => getComputedStyle(e).overflowX") == "visible"
    assert table.evaluate("e => getComputedStyle(e).display") == "table"
    if PDFTOTEXT:
        pages = _pdf_pages(page.pdf(format="A4"), tmp_path)
        assert len(pages) > 1
        for i, text in enumerate(pages):
            assert ARCHIVE in text and case_id in text, f"page {i + 1}"
        assert _split_rows(page, pages) == []


def test_meeting_pack_from_a_listing(corpus_site: Path, serve, page, tmp_path: Path):
    base = serve(corpus_site.parent, "site/")
    page.goto(base + "regions/520000.html")
    boxes = page.locator("input.cb-packtick__box")
    assert boxes.count() >= 3
    ids = [boxes.nth(i).get_attribute("value") for i in range(3)]
    for i in range(3):
        boxes.nth(i).check()
    link = page.locator(".cb-packbar__link")
    assert link.inner_text() == "会议材料（3）"
    link.click()
    page.wait_for_selector("#cb-pack[data-cb-state=done]")
    assert page.url.startswith(base + "search/pack.html?ids=")
    assert page.locator("#cb-pack-toc li").count() == 3
    cases = page.locator(".cb-pack__case")
    assert cases.count() == 3
    for i, case_id in enumerate(ids):
        sec = cases.nth(i)
        assert case_id in sec.locator(".cb-pack__meta").inner_text()
        for block in (".cb-summary", ".cb-measures", ".cb-cite"):
            assert sec.locator(block).count() == 1, (case_id, block)
    assert page.locator(".cb-pack__case .cb-numbers").count() >= 1
    assert page.locator(".cb-pack__case [id]").count() == 0  # no ids repeated from case to case
    page.emulate_media(media="print")
    assert page.locator(".cb-printhead").is_visible()
    assert cases.nth(1).evaluate("e => getComputedStyle(e).breakBefore") == "page"
    if PDFTOTEXT:
        pages = _pdf_pages(page.pdf(format="A4"), tmp_path)
        assert all(ARCHIVE in text for text in pages)
        # each case starts a page: its numbered title is at the top of a page, below the header
        for n in range(3):
            title = cases.nth(n).locator(".cb-pack__title").inner_text()[:12]
            assert any(title in "".join(p.splitlines()[:6]) for p in pages), title
        assert _split_rows(page, pages) == []
    assert page.outside_requests == [] and page.console_errors == []


def test_pack_in_english_and_search_results_get_ticks(corpus_site: Path, serve, page):
    base = serve(corpus_site.parent, "site/")
    page.goto(base + f"en/search/pack.html?ids={BIJIE},no-such-case")
    page.wait_for_selector("#cb-pack[data-cb-state=done]")
    assert page.locator(".cb-pack__case").count() == 2
    assert "Could not read this case" in page.locator(".cb-pack__case").nth(1).inner_text()
    assert page.locator(".cb-pack__case").first.locator(".cb-numbers").count() == 1
    page.goto(base + "search/index.html?q=" + "毕节")
    page.wait_for_selector("li.cb-result[data-id]")
    page.wait_for_selector("li.cb-result .cb-packtick__box")
    assert page.locator("li.cb-result").count() == page.locator("li.cb-result .cb-packtick__box").count()


def test_pack_from_disk_says_it_needs_a_server(corpus_site: Path, page):
    page.goto((corpus_site / "search" / "pack.html").as_uri() + f"?ids={BIJIE}")
    status = page.locator("#cb-pack-status")
    assert "服务器" in status.inner_text()
    assert page.locator(".cb-pack__case").count() == 0


@pytest.mark.parametrize("lang_dir", ["", "en/"])
def test_listing_print_hides_ticks(corpus_site: Path, serve, page, lang_dir: str):
    base = serve(corpus_site.parent, "site/")
    page.goto(base + f"{lang_dir}regions/520000.html")
    assert page.locator(".cb-packtick").first.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".cb-packtick").first.is_visible()
    assert not page.locator(".cb-packbar").is_visible()
    assert ARCHIVE in page.locator(".cb-printhead").inner_text()
