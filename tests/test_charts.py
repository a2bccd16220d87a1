"""Bar charts drawn at build time: geometry, the SVG they render to, and the charts of a figures view."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from casebook import charts
from casebook.render import Ctx

from .test_figures import fig_cases, fig_pages  # noqa: F401 (fixtures)


def item(case_id: str, value: float, high: float | None = None, label: str | None = None) -> charts.Item:
    return charts.Item(case_id, label or f"{case_id} 的案例", f"{value:g}个", value, high)


def chart(items: list[charts.Item], limit: int = charts.LIMIT) -> charts.Chart:
    return charts.bar_chart(
        items,
        slug="service-stations",
        title="服务站点",
        units="个",
        definition="定义。",
        count_text="3 条",
        limit=limit,
    )


def test_bars_are_largest_first_to_scale_with_room_for_their_values():
    c = chart([item("a", 10), item("b", 300), item("c", 0.1), item("d", 300)])
    assert [b.case_id for b in c.bars] == ["b", "d", "a", "c"]  # ties keep their order
    longest = max(b.width for b in c.bars)
    assert c.bars[0].width == longest
    assert c.bars[2].width == pytest.approx(longest * 10 / 300, abs=0.1)
    assert c.bars[3].width == 1.0  # too short to see: one unit
    for b in c.bars:
        assert b.value_x == pytest.approx(b.width + charts.GAP, abs=0.1)
        assert b.value_x + charts.text_width(b.value) <= charts.WIDTH
    assert c.height == 4 * charts.ROW + 4


def test_a_range_is_drawn_to_its_upper_end_and_the_longest_chart_is_cut():
    c = chart([item("r", 7, high=8), item("x", 4)])
    r = c.bars[0]
    assert r.case_id == "r" and r.range_width > 0
    assert r.width + r.range_width == pytest.approx(max(b.width + b.range_width for b in c.bars))
    assert c.bars[1].width == pytest.approx((r.width + r.range_width) * 4 / 8, abs=0.1)
    many = chart([item(f"c{k}", k + 1) for k in range(50)], limit=30)
    assert len(many.bars) == 30 and many.bars[0].case_id == "c49"


def test_labels_are_cut_to_the_drawing():
    long = "很长的案例名称" * 20
    c = chart([item("a", 1, label=long), item("b", 2)])
    label = next(b.label for b in c.bars if b.case_id == "a")
    assert label.endswith("…") and charts.text_width(label) <= charts.WIDTH
    assert charts.fit("短", 100) == "短"


def test_the_svg_is_well_formed_text_escaped_and_every_value_written(fig_pages):  # noqa: F811
    from casebook.index import build_catalog

    catalog = build_catalog([])
    ctx = Ctx("zh", "regions/520000-figures.md", catalog, {})
    hostile = '<script>&"x"'
    c = chart([item("a", 5, label=hostile), item("b", 9)])
    html = str(charts.render(c, ctx))
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("text")]
    assert hostile in texts and "5个" in texts and "9个" in texts
    assert "<script>" not in html
    assert root.get("role") == "img" and root.get("viewBox") == f"0 0 {charts.WIDTH} {c.height}"
    links = [a.get("href") for a in root.iter("a")]
    assert links == ["../cases/b.html", "../cases/a.html"]


def test_the_guizhou_view_has_a_chart_per_indicator_with_two_figures(fig_pages):  # noqa: F811
    for lang in ("zh", "en"):
        page = fig_pages[lang]["regions/520000-figures.md"]
        found = re.findall(r'<figure class="cb-chart" data-i="([a-z-]+)">', page)
        # 种植面积 and 产值 have two figures each in 贵州; 新就业群体人数 has one: no chart
        assert found == ["output-value", "planting-area"]
        planting = page.split('data-i="planting-area">', 1)[1].split("</figure>", 1)[0]
        assert planting.count("<rect y=") == 2
        values = re.findall(r'<text x="[^"]+" y="34">([^<]+)</text>', planting)
        assert values == (["近5万亩", "450亩"] if lang == "zh" else ["nearly 50,000 mu", "450 mu"])
