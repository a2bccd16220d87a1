"""Horizontal bar charts drawn as SVG at build time (no script, no outside request).

Made to be read on paper and on a phone: each bar has its label on its own line above it and its
value written out after its end (so colour carries nothing the text does not say); the drawing is
narrow (420 units), so on a 390 px phone the text keeps nearly its size, and a page's CSS caps its
width on wide screens. The geometry is computed here; the markup is ``templates/_chart.j2``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 420  # the drawing's width, in SVG units (≈ CSS px at phone width)
ROW = 46  # one bar with its label
LABEL_Y = 15  # baseline of the label, from the top of its row
BAR_Y = 21  # top of the bar
BAR_H = 16
VALUE_Y = 34  # baseline of the value written after the bar
FONT = 14  # the CSS font size of the labels and values (figures.css), used to measure text
GAP = 6  # between a bar's end and its value
LIMIT = 30  # bars per chart: the largest; the table holds them all


@dataclass(frozen=True)
class Item:
    """One thing to draw: a case's figure, with its label and its value as the page writes it."""

    case_id: str
    label: str
    value_text: str
    low: float  # the bar's length (a range's low end)
    high: float | None = None  # a range's high end, drawn lighter
    label_zh: bool = False  # the label is (partly) Chinese on a page in another language

    @property
    def top(self) -> float:
        return self.high if self.high is not None else self.low


@dataclass(frozen=True)
class Bar:
    case_id: str
    label: str
    label_zh: bool
    value: str
    y: int
    width: float
    range_width: float
    value_x: float


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    units: str
    definition: str
    count_text: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    label_y: int = LABEL_Y
    bar_y: int = BAR_Y
    bar_h: int = BAR_H
    value_y: int = VALUE_Y

    @property
    def height(self) -> int:
        return ROW * len(self.bars) + 4


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is set in ``size``: CJK and full-width characters one em, others 0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text)


def fit(text: str, room: float, size: float = FONT) -> str:
    """``text`` cut with "…" to fit ``room`` units."""
    if text_width(text, size) <= room:
        return text
    out, used = [], text_width("…", size)
    for ch in text:
        used += text_width(ch, size)
        if used > room:
            break
        out.append(ch)
    return "".join(out) + "…"


def _round(x: float) -> float:
    return round(x, 1)


def bar_chart(
    items: list[Item], *, slug: str, title: str, units: str, definition: str, count_text: str, limit: int = LIMIT
) -> Chart:
    """The chart of ``items``, largest first (ties in the given order), at most ``limit`` bars.

    Bars are drawn to scale from zero; the room for the longest value text is kept free on the
    right, and a bar too short to see is drawn one unit wide."""
    shown = sorted(items, key=lambda it: -it.top)[:limit]
    room = max((text_width(it.value_text) for it in shown), default=0) + GAP + 2
    span = max(WIDTH - room, WIDTH / 3)
    top = max((it.top for it in shown), default=0) or 1
    bars = []
    for k, it in enumerate(shown):
        width = max(_round(span * max(it.low, 0) / top), 1.0)
        end = max(_round(span * it.top / top), width)
        bars.append(
            Bar(
                case_id=it.case_id,
                label=fit(it.label, WIDTH),
                label_zh=it.label_zh,
                value=it.value_text,
                y=k * ROW,
                width=width,
                range_width=_round(end - width) if it.high is not None else 0,
                value_x=_round(end + GAP),
            )
        )
    return Chart(slug, title, units, definition, count_text, tuple(bars))


def render(chart: Chart, ctx) -> Markup:  # noqa: ANN001 (a render.Ctx; imported lazily)
    """The chart's SVG inside a ``<figure>`` with its caption, for the page of ``ctx``."""
    from .render import environment

    module = environment(ctx.lang).get_template("_chart.j2").module
    return Markup(module.bar_chart(chart, ctx))
