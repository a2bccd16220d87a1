"""The province tile-grid map (casebook/tilemap.py, templates/_tilemap.j2) on the home page and the
regions index: its layout data against the division dataset, and the squares on the site built from
the frozen corpus (``corpus_site``) — 34 squares, counts as text, links to existing region pages."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from casebook.index import build_catalog
from casebook.paths import divisions_dir
from casebook.site import load_cases
from casebook.tilemap import cols, grid, rows, tiles

from .conftest import CORPUS


@pytest.fixture(scope="module")
def catalog():
    return build_catalog(load_cases(CORPUS), related=False)


def test_grid_holds_every_province_level_unit_of_the_dataset_once():
    folder = divisions_dir()
    with open(folder / "provinces.csv", encoding="utf-8", newline="") as fh:
        mainland = {row["code"].ljust(6, "0"): row["name"] for row in csv.DictReader(fh)}
    others = json.loads((folder / "HK-MO-TW.json").read_text(encoding="utf-8"))
    expected = dict(mainland)
    expected.update({"810000": "香港特别行政区", "820000": "澳门特别行政区", "710000": "台湾省"})
    assert set(others) == {"香港特别行政区", "澳门特别行政区", "台湾省"}
    squares = grid()
    assert len(squares) == 34
    assert {s.code: s.name for s in squares} == expected
    assert len({(s.row, s.col) for s in squares}) == 34  # no two squares on one place
    assert all(0 <= s.row < rows() and 0 <= s.col < cols() for s in squares)
    assert all(s.short and s.en and re.fullmatch("[A-Z]{2}", s.abbr) for s in squares)
    assert len({s.abbr for s in squares}) == 34


def test_squares_sit_in_rough_geographic_place():
    at = {s.short: (s.row, s.col) for s in grid()}
    north_to_south = ["黑龙江", "吉林", "辽宁"]
    assert [at[n][0] for n in north_to_south] == sorted(at[n][0] for n in north_to_south)
    assert at["新疆"][1] < at["甘肃"][1] < at["陕西"][1] < at["河南"][1] < at["山东"][1]
    assert at["海南"][0] > at["广东"][0] > at["湖南"][0] > at["湖北"][0] > at["河南"][0]
    assert at["上海"][1] > at["江苏"][1] and at["台湾"][1] > at["福建"][1]
    assert at["澳门"][1] < at["香港"][1]  # 澳门 lies west of 香港


def test_tiles_count_the_catalog(catalog):
    counted = {t.square.code: t for t in tiles(catalog)}
    assert len(counted) == 34
    for code, node in catalog.regions.items():
        assert counted[code].count == node.count and counted[code].linked
    assert sum(t.count for t in counted.values()) == len(catalog.cases)
    assert counted["710000"].count == 0 and not counted["710000"].linked and counted["710000"].shade == 0
    top = max(counted.values(), key=lambda t: t.count)
    assert top.shade == 4 and all(t.shade >= 1 for t in counted.values() if t.count)


class _Tiles(HTMLParser):
    """The squares of a page's tile map: (href or None, text, aria-label)."""

    def __init__(self):
        super().__init__()
        self.squares: list[list] = []
        self.depth = 0  # inside <ol class="cb-tiles">
        self.lists = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ol" and "cb-tiles" in (a.get("class") or ""):
            self.depth, self.lists = 1, self.lists + 1
        elif self.depth and tag == "li":
            self.squares.append([None, "", None])
        elif self.depth and tag == "a":
            self.squares[-1][0], self.squares[-1][2] = a.get("href"), a.get("aria-label")

    def handle_endtag(self, tag):
        if self.depth and tag == "ol":
            self.depth = 0

    def handle_data(self, data):
        if self.depth and self.squares:
            self.squares[-1][1] += data


@pytest.mark.parametrize("page", ["index.html", "regions/index.html", "en/index.html", "en/regions/index.html"])
def test_tile_map_on_the_site(corpus_site, catalog, page):
    parser = _Tiles()
    parser.feed((corpus_site / page).read_text(encoding="utf-8"))
    assert parser.lists == 1
    assert len(parser.squares) == 34
    english = page.startswith("en/")
    by_code = {s.code: s for s in grid()}
    seen_total = 0
    for href, text, label in parser.squares:
        number = re.search(r"\d+", text)
        assert number, text  # the count is written as text, not colour alone
        n = int(number[0])
        seen_total += n
        if n == 0:
            assert href is None  # no region page exists for a unit without cases
            continue
        code = re.fullmatch(r"(?:\.\./)?(?:regions/)?(\d{6})\.html", href)[1]
        square = by_code[code]
        assert n == catalog.regions[code].count
        assert (Path(corpus_site / page).parent / href).resolve().is_file()
        assert (square.en if english else square.short) in text
        assert label is None  # the visible text is the link's name: "贵州 8 个案例"
    assert seen_total == len(catalog.cases)


def test_tile_map_fits_a_phone_and_a_desktop(corpus_site, serve, page):
    base = serve(corpus_site)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("index.html", "en/index.html"):
            page.goto(base + path)
            boxes = page.locator(".cb-tiles li").evaluate_all(
                "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width, r.height] })"
            )
            assert len(boxes) == 34
            assert all(left >= 0 and right <= width for left, right, _, _ in boxes), (width, path)
            assert all(abs(w - h) < 1.5 and w >= 30 for _, _, w, h in boxes), (width, path)  # squares
            # every square shows its label and its count inside itself
            overflow = page.locator(".cb-tile > a, .cb-tile__box").evaluate_all(
                "els => els.filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1).length"
            )
            assert overflow == 0, (width, path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not page.outside_requests and not page.console_errors
