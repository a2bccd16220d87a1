"""Print styles and the meeting pack (casebook/pack.py, docs/assets/pack.js, print.css): the archive is
named on every printed page, table rows are never split, each case of a pack starts a new page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from casebook import pack

from .test_hostile_site import EN_SUMMARY, EN_TITLE, REFRESH, TITLE
from .test_hostile_site import hostile_site as hostile_site_fixture  # noqa: F401 (the fixture, by this name)

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
        assert data[lang]["print_record_id"] and data[lang]["pack_failed"]
        assert "pack_needs_server" not in data[lang]  # the pack works from disk now


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
    page.console_errors.clear()  # the missing case's 404
    page.goto(base + "search/index.html?q=" + "毕节")
    page.wait_for_selector("li.cb-result[data-id]")
    page.wait_for_selector("li.cb-result .cb-packtick__box")
    assert page.locator("li.cb-result").count() == page.locator("li.cb-result .cb-packtick__box").count()
    # a search result ticked goes into the pack (served)
    first = page.locator("li.cb-result").first
    title = first.locator(".cb-result__title a").inner_text()
    first.locator(".cb-packtick__box").check()
    page.locator(".cb-packbar__link").click()
    page.wait_for_selector("#cb-pack[data-cb-state=done]")
    assert page.locator(".cb-pack__title").all_inner_texts() == [f"1. {title}"]
    assert page.locator(".cb-pack__case .cb-summary").count() == 1
    assert page.outside_requests == [] and page.console_errors == []


# What a case shows that its section of the pack must repeat (root: the case page's article or a pack section).
_CONTENT = """(root) => {
  const t = s => s.replace(/\\s+/g, " ").trim(), q = s => root.querySelector(s);
  return {
    title: t((q(".cb-case-head h1") || q(".cb-pack__title")).textContent).replace(/^\\d+\\. /, ""),
    summary: q(".cb-summary") ? t(q(".cb-summary").textContent) : null,
    measures: Array.from(root.querySelectorAll(".cb-measures li")).map(e => t(e.textContent)),
    figures: Array.from(root.querySelectorAll(".cb-numbers tbody tr")).map(e => t(e.textContent)),
    cite: q(".cb-cite .cb-citation__text") ? t(q(".cb-cite .cb-citation__text").textContent) : null,
  };
}"""


@pytest.mark.parametrize(("lang_dir", "pack_label"), [("", "会议材料"), ("en/", "Meeting pack")])
def test_meeting_pack_from_disk(corpus_site: Path, page, tmp_path: Path, lang_dir: str, pack_label: str):
    """Opened from disk (file://): tick a listing's cases, open the pack: every chosen case is in it whole,
    in order, numbered, one a printed page, the archive named on every page; the stored choice gives the
    same pack; nothing is requested from outside the site."""
    site = corpus_site.as_uri() + "/"
    page.goto(site + f"{lang_dir}regions/520000.html")
    boxes = page.locator("input.cb-packtick__box")
    ids = [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]
    assert len(ids) >= 3
    page.locator(".cb-packbar__add").click()
    link = page.locator(".cb-packbar__link")
    assert link.inner_text().startswith(pack_label) and f"{len(ids)}" in link.inner_text()
    link.click()
    page.wait_for_selector("#cb-pack[data-cb-state=done]")
    assert page.url.startswith(site + f"{lang_dir}search/pack.html?ids=")
    cases = page.locator(".cb-pack__case")
    got = [cases.nth(i).evaluate(_CONTENT) for i in range(cases.count())]
    toc = page.locator("#cb-pack-toc ol")
    assert toc.evaluate("e => getComputedStyle(e).listStyleType") == "decimal"
    assert [t.strip() for t in toc.locator("li").all_inner_texts()] == [g["title"] for g in got]
    assert page.locator(".cb-pack__case [id], .cb-pack__case button, .cb-pack__case .cb-copied").count() == 0
    urls = [cases.nth(i).locator(".cb-pack__meta a").inner_text() for i in range(len(ids))]
    accessed = page.locator(".cb-pack__case .cb-accessed").all_inner_texts()
    page.emulate_media(media="print")
    assert page.locator(".cb-printhead").is_visible()
    assert page.locator(".cb-printhead__url").inner_text() == site + f"{lang_dir}search/pack.html"  # not the ids
    pdf = page.pdf(format="A4") if PDFTOTEXT else None
    titles = [cases.nth(i).locator(".cb-pack__title").inner_text() for i in range(len(ids))]
    split = _split_rows(page, _pdf_pages(pdf, tmp_path)) if pdf else []
    page.emulate_media(media="screen")
    # the stored choice (localStorage, shared by pages opened from disk) gives the same pack
    page.goto(site + f"{lang_dir}search/pack.html")
    page.wait_for_selector("#cb-pack[data-cb-state=done]")
    assert page.locator(".cb-pack__title").all_inner_texts() == titles
    # each case in full, as its own page shows it
    for i, case_id in enumerate(ids):
        assert urls[i] == site + f"{lang_dir}cases/{case_id}.html"
        page.goto(urls[i])
        want = page.locator("article").evaluate(_CONTENT)
        assert want["summary"] and want["measures"], case_id
        assert got[i]["cite"] and "本页网址" not in got[i]["cite"] and "This page's address" not in got[i]["cite"]
        want["cite"] = got[i]["cite"]  # filled in with the address and date in the pack
        assert got[i] == want, case_id
    assert any(g["figures"] for g in got)
    assert accessed and all(len(a) == 10 and a[4] == "-" for a in accessed)
    if pdf:
        pages = _pdf_pages(pdf, tmp_path)
        assert len(pages) > len(ids)
        for n, text in enumerate(pages):
            assert ARCHIVE in text, f"page {n + 1}"
        for title in titles:  # each case starts a page: its numbered title at the top, below the header
            assert any(title[:12] in "".join(p.splitlines()[:6]) for p in pages), title
        assert split == []
    assert [u for u in page.outside_requests if not u.startswith(site)] == []
    assert page.console_errors == []


_HOSTILE_TREE = [
    "div",
    {"class": "cb-summary", "id": "x", "onclick": "window.pwned=1", "style": "color:red"},
    [
        ["img", {"src": "x", "onerror": "window.pwned=1"}, []],
        ["script", {}, ["window.pwned=2"]],
        ["a", {"href": "javascript:window.pwned=3", "class": "evil"}, ["link"]],
        ["a", {"href": "https://example.org/", "class": "fine"}, ["link"]],
        ["p", {"lang": "zh", "data-x": "1"}, ["<b>not markup</b>"]],
        ["svg", {"onload": "window.pwned=4"}, [["g", {}, []]]],
    ],
]


def test_pack_takes_answers_only_from_its_own_frames(corpus_site: Path, serve, page):
    """A message from a frame that is not one of the pack's (or from the page itself) is ignored even
    with the right token; an answer from the pack's own frame is rebuilt from allowed tags and
    attributes only, so what it posted cannot run or add ids, styles or javascript: links."""
    base = serve(corpus_site.parent, "site/")
    page.goto(base + f"search/pack.html?ids={BIJIE},no-such-case")
    page.wait_for_selector("#cb-pack[data-cb-state=done]")
    missing = page.locator(".cb-pack__case").nth(1)
    assert "未能读取这个案例" in missing.inner_text()
    own = page.locator("iframe[src*='no-such-case']")  # the missing case's frame (a 404 page) stays
    token = own.get_attribute("src").split("#cb-pack-")[1]
    forged = {
        "cbPack": token,
        "title": "FORGED",
        "lang": "en",
        "place": "P",
        "parts": [{"head": "H", "tree": _HOSTILE_TREE}],
    }
    page.evaluate(
        """() => { window.seen = 0;
        window.addEventListener("message", e => { if (e.data && e.data.title === "FORGED") window.seen++; });
        const f = document.createElement("iframe"); f.id = "foreign"; f.srcdoc = "<p>not the pack's</p>";
        document.body.appendChild(f); }"""
    )
    foreign = page.locator("#foreign").element_handle().content_frame()
    foreign.wait_for_load_state()
    foreign.evaluate("d => parent.postMessage(d, '*')", forged)
    page.evaluate("d => window.postMessage(d, '*')", forged)
    page.wait_for_function("window.seen === 2")  # both delivered (the pack's listener came first)
    assert "FORGED" not in page.locator("#cb-pack").inner_text()
    assert "未能读取这个案例" in missing.inner_text()
    # the same answer from the pack's own frame is taken, and made harmless
    own.element_handle().content_frame().evaluate("d => parent.postMessage(d, '*')", forged)
    page.wait_for_function("window.seen === 3")
    assert missing.locator(".cb-pack__title").inner_text() == "2. FORGED"
    assert "未能读取这个案例" not in missing.inner_text()
    summary = missing.locator(".cb-summary")
    assert summary.count() == 1
    assert missing.locator("img, script, svg, b, [id], [style], [onclick], [onerror], [data-x]").count() == 0
    assert missing.locator("a.evil").get_attribute("href") is None
    assert missing.locator("a.fine").get_attribute("href") == "https://example.org/"
    assert "<b>not markup</b>" in summary.inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.outside_requests == []


@pytest.mark.parametrize(("lang_dir", "title", "summary"), [("", TITLE, REFRESH), ("en/", EN_TITLE, EN_SUMMARY)])
def test_pack_keeps_hostile_record_text_as_text(request, page, lang_dir: str, title: str, summary: str):
    """A record whose title and summary look like markup (tests/test_hostile_site.py) is shown in the pack,
    opened from disk, as the same text: it passes from the framed page to the pack as data, never as HTML."""
    hostile_site = request.getfixturevalue("hostile_site_fixture")
    page.goto((hostile_site / lang_dir / "search" / "pack.html").as_uri() + "?ids=fx-fufeng-sanjia")
    page.wait_for_selector("#cb-pack[data-cb-state=done]")
    sec = page.locator(".cb-pack__case")
    assert sec.locator(".cb-pack__title").inner_text() == "1. " + title
    assert page.locator("#cb-pack-toc li").inner_text() == title
    assert summary in sec.locator(".cb-summary").inner_text()
    assert page.locator("#cb-pack script, #cb-pack meta, #cb-pack [http-equiv]").count() == 0
    assert page.console_errors == []


def test_case_page_answers_only_its_parent_with_its_token(corpus_site: Path, serve, page):
    """A case page framed for the pack answers its parent's request with its token, and nothing else: not a
    request with another token, not the same request from another frame."""
    base = serve(corpus_site.parent, "site/")
    page.goto(base + "search/pack.html")
    token = "t0ken0123abc"
    page.evaluate(
        """([url, token]) => new Promise(done => {
        window.answers = [];
        window.addEventListener("message", e => { if (e.data && e.data.cbPack) window.answers.push(e.data); });
        const c = document.createElement("iframe"); c.id = "case"; c.src = url + "#cb-pack-" + token;
        const s = document.createElement("iframe"); s.id = "sibling"; s.srcdoc = "<p>a sibling</p>";
        let n = 0; c.onload = s.onload = () => { if (++n === 2) done(); };
        document.body.append(c, s); })""",
        [base + f"cases/{BIJIE}.html", token],
    )
    sibling = page.locator("#sibling").element_handle().content_frame()
    sibling.evaluate("t => parent.frames[0].postMessage({cbPack: t}, '*')", token)
    page.evaluate(
        "t => { const w = document.getElementById('case').contentWindow; "
        "w.postMessage({cbPack: 'another0token'}, '*'); w.postMessage({cbPack: t}, '*'); }",
        token,
    )
    page.wait_for_function("window.answers.length > 0")
    answers = page.evaluate("window.answers")
    assert len(answers) == 1 and answers[0]["cbPack"] == token
    assert answers[0]["title"].startswith("毕节市") and [p["tree"][0] for p in answers[0]["parts"]] == ["div"] * 5
    assert "<" not in json.dumps(answers[0]["parts"][0]["tree"][0])  # data, not markup


@pytest.mark.parametrize("lang_dir", ["", "en/"])
def test_listing_print_hides_ticks(corpus_site: Path, serve, page, lang_dir: str):
    base = serve(corpus_site.parent, "site/")
    page.goto(base + f"{lang_dir}regions/520000.html")
    assert page.locator(".cb-packtick").first.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".cb-packtick").first.is_visible()
    assert not page.locator(".cb-packbar").is_visible()
    assert ARCHIVE in page.locator(".cb-printhead").inner_text()
