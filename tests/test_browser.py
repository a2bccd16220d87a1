"""The site built from the frozen records (tests/corpus) in headless Chromium: no console errors, no
request leaving the site, no serious accessibility violation, a readable phone layout, printing.
(A sample of the pages built from cases/ is loaded in Chromium by test_content.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PAGES = [
    "index.html",
    "cases/longli-express-logistics-party-committee.html",
    "cases/tiantongyuanbei-hualian-jiayuan-station.html",
    "cases/index.html",
    "regions/index.html",
    "regions/520000.html",
    "regions/522730.html",
    "groups/index.html",
    "groups/couriers.html",
    "topics/index.html",
    "topics/service-stations.html",
    "models/index.html",
    "models/drivers-home.html",
    "themes/index.html",
    "themes/new-employment-groups.html",
    "years/index.html",
    "years/2022.html",
    "sources/index.html",
    "search/index.html",
    "en/index.html",
    "en/cases/fufeng-sanjia-project.html",
    "en/regions/index.html",
    "404.html",
]


@pytest.fixture(scope="module")
def base(corpus_site, serve) -> str:
    return serve(corpus_site)


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_cleanly_offline(page, base, path):
    page.goto(base + path, wait_until="networkidle")
    assert page.locator("h1").first.inner_text().strip()
    assert page.outside_requests == []
    assert page.failed_requests == []
    assert page.console_errors == []


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "cases/longli-express-logistics-party-committee.html",
        "regions/index.html",
        "groups/couriers.html",
        "en/cases/qingtian-qingfengxia.html",
        "search/index.html",
    ],
)
def test_no_serious_accessibility_violation(page, base, path):
    page.goto(base + path, wait_until="networkidle")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_case_page_is_readable_on_a_phone(browser, base, tmp_path_factory):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    pg.goto(base + "cases/longli-express-logistics-party-committee.html", wait_until="networkidle")
    shot = tmp_path_factory.mktemp("shots") / "case-phone.png"
    pg.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    # nothing wider than the screen, body text at a readable size, the figures laid out as cards
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    size = pg.evaluate("parseFloat(getComputedStyle(document.querySelector('.cb-summary p')).fontSize)")
    assert size >= 14
    row = pg.locator(".cb-numbers tbody tr").first.bounding_box()
    assert row["width"] <= 390
    context.close()


def test_printed_case_drops_navigation(page, base, tmp_path):
    page.goto(base + "cases/longli-express-logistics-party-committee.html", wait_until="networkidle")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".cb-citation__text").first.is_visible()
    pdf = tmp_path / "case.pdf"
    page.pdf(path=str(pdf))
    assert pdf.stat().st_size > 10_000


def test_copy_citation_button(browser, base):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    pg = context.new_page()
    pg.goto(base + "cases/fufeng-sanjia-project.html", wait_until="networkidle")
    expected = pg.locator(".cb-citation__text").first.inner_text()
    pg.locator("button.cb-copy").first.click()
    assert pg.evaluate("navigator.clipboard.readText()") == expected
    context.close()


def test_site_opened_from_disk_makes_no_outside_request(browser, corpus_site: Path):
    pg = browser.new_page()
    outside = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    pg.goto((corpus_site / "cases" / "longli-express-logistics-party-committee.html").as_uri())
    pg.wait_for_timeout(300)
    pg.click("a.cb-chip--group >> nth=0")
    pg.wait_for_load_state()
    assert pg.url.startswith("file://") and pg.url.endswith("groups/couriers.html")
    assert outside == []
    pg.close()
