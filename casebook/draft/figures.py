"""Figures of an article: every number with a unit, read by the checker's own number layer.

A candidate is ``[before-word [filler]] numeral [inside-word] unit [after-word]`` with the words of
vocab/qualifiers.yaml and the units of casebook/draft/rules.yaml and vocab/units.yaml; it is kept
only if :func:`casebook.numbers.read` reads it, and value, low/high and qualifier are that reading —
so a drafted figure always agrees with ``casebook check``. ``printed`` is the text as printed.

"从七八分钟减少到一分多钟" is one figure with ``before`` and ``after``. Left out, each with a note of
why: dates and years (2022年, 12月14日, 90年代), ages (39岁), clock times, floors, ordinals (第21期),
numbers in names (“三家”, 四建, 五个体系, 六项工程), idioms (千家万户), a lone 一 (一位, 一份), phone-
like and other bare numbers (110, 12345).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..numbers import Reading, Unreadable, read
from ..vocab import vocabulary
from .rules import enabled, rules, words
from .text import Block, sentences

_CN = "零〇一二两三四五六七八九"
_MAG = "十百千万亿"
_ARABIC = r"[0-9]+(?:\.[0-9]+)?(?:,[0-9]{3})*(?:\.[0-9]+)?"


@dataclass
class Figure:
    """One drafted figure."""

    printed: str
    unit: str
    reading: Reading | None  # None for a change (before/after)
    line: int
    sentence: str
    subject: str
    start: int = 0
    unit_printed: bool = True
    before: tuple[str, Reading] | None = None
    after: tuple[str, Reading] | None = None
    date: str | None = None
    date_inferred: bool = False


@dataclass
class Skipped:
    """A number left out, with the reason (Chinese) and its line."""

    text: str
    reason: str
    line: int


@dataclass
class Found:
    figures: list[Figure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _alt(ws) -> str:
    return "|".join(re.escape(w) for w in sorted(set(ws), key=len, reverse=True))


@cache
def _qualifier_words() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"before": [], "fillers": [], "inside": [], "after": []}
    for t in vocabulary("qualifiers").terms:
        for k in out:
            out[k] += [str(w) for w in t.extra.get(k) or []]
    return out


@cache
def units() -> list[str]:
    """The units a figure may have, longest first."""
    us = set(words("units")) | {t.slug for t in vocabulary("units").terms}
    us = {u for u in us if not u.startswith(("万", "亿"))}  # 1470万元 is 1470万 + 元 (value 14700000)
    for t in vocabulary("units").terms:
        us.update(str(s) for s in t.extra.get("printed") or [])
    return sorted(us, key=len, reverse=True)


@cache
def _pattern() -> re.Pattern:
    q = _qualifier_words()
    inside = _alt(q["inside"])
    unit_forms = set(units())
    for u in units():  # 个多月, 分多钟
        for i in range(1, len(u)):
            unit_forms.update(u[:i] + w + u[i:] for w in q["inside"])
    numeral = (
        rf"(?:{_ARABIC}(?:{inside})?[{_MAG}]*"
        rf"|[{_CN}{_MAG}]*[{_CN}][{_CN}{_MAG}]*|[数几上][{_MAG}]+|[{_MAG}]+|半)"
    )
    rng = rf"(?:{numeral}(?:-|–|—|~|～|至|到){numeral})"
    return re.compile(
        rf"(?P<before>(?:{_alt(q['before'])})(?:{_alt(q['fillers'])})?)?"
        rf"(?P<num>{rng}|{numeral})(?P<inside>{inside})?"
        rf"(?P<unit>{_alt(unit_forms)})"
        rf"(?P<after>{_alt(q['after'])})?"
    )


def _unit_of(form: str) -> str:
    for u in units():
        if form == u:
            return u
    q = _qualifier_words()["inside"]
    for u in units():
        for i in range(1, len(u)):
            if any(form == u[:i] + w + u[i:] for w in q):
                return u
    return form


@cache
def _canonical_units() -> dict[str, str]:
    out = {}
    for t in vocabulary("units").terms:
        for s in t.extra.get("printed") or []:
            out[str(s)] = t.slug
    return out


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans, stack = [], []
    for i, c in enumerate(text):
        if c in "“‘":
            stack.append(i)
        elif c in "”’" and stack:
            spans.append((stack.pop(), i + 1))
    return spans


def _in_short_quote(spans, a: int, b: int, text: str) -> bool:
    return any(s <= a and b <= e and e - s <= 17 and "。" not in text[s:e] for s, e in spans)


@cache
def _quoted_names(text: str) -> frozenset[str]:
    return frozenset(text[s + 1 : e - 1] for s, e in _quoted_spans(text) if e - s <= 17)


def _subject(text: str, a: int, b: int) -> str:
    after = re.split(r"[，,。；;：:、（）()“”！？!?]", text[b : b + 20])[0]
    after = re.sub(r"^(?:的|了|是|为|在|到|等)", "", after)
    if len(after) >= 2 and not re.match(r"^[0-9]", after):
        return after[:16]
    head = re.split(r"[，,。；;：:、（）()“”！？!?]", text[max(0, a - 24) : a])[-1]
    return head[-16:] or after


_YEAR = re.compile(r"(20[0-9]{2}|19[0-9]{2})年(?:([0-9]{1,2})月(?:([0-9]{1,2})日)?)?")


def _date(sentence: str, at: int, report_year: int | None) -> tuple[str | None, bool]:
    head = sentence[:at]
    years = list(_YEAR.finditer(head))
    if years:
        m = years[-1]
        y, mo, d = m.groups()
        if d:
            return f"{y}-{int(mo):02d}-{int(d):02d}", False
        return (f"{y}-{int(mo):02d}" if mo else y), False
    if report_year:
        if "去年" in head:
            return str(report_year - 1), True
        if "今年" in head:
            return str(report_year), True
    return None, False


def _reading(printed: str, unit: str) -> Reading | None:
    try:
        return read(printed, unit)
    except Unreadable:
        return None


def figures(paragraphs: list[Block], context: str, report_year: int | None = None) -> Found:
    """Every figure of ``paragraphs``; ``context`` is the whole article (for quoted names)."""
    found = Found()
    names = _quoted_names(context)
    heads = tuple(words("name_heads"))
    idioms = words("idioms")
    skip_after = rules()["skip_after"]
    year_words = tuple(words("year_words"))
    verbs = _alt(words("change_verbs"))
    canon = _canonical_units()
    pat = _pattern()
    for block in paragraphs:
        text = block.text
        spans = _quoted_spans(text)
        idiom_spans = [(m.start(), m.end()) for w in idioms for m in re.finditer(re.escape(w), text)]
        taken: list[tuple[int, int]] = []
        noted: list[tuple[int, int]] = []
        sents = sentences(text)
        bounds, pos = [], 0
        for s in sents:
            bounds.append((pos, pos + len(s)))
            pos += len(s)

        def sentence_of(at: int, text: str = text, bounds: list = bounds) -> tuple[str, int]:
            for s0, s1 in bounds:
                if s0 <= at < s1:
                    return text[s0:s1], s0
            return text, 0

        # changes first: 从七八分钟减少到一分多钟
        change = re.compile(
            rf"从(?P<a>{pat.pattern})(?:{verbs})?(?:到|至|为)(?P<b>{pat.pattern.replace('?P<', '?P<b_')})"
        )
        for m in change.finditer(text):
            a_text, b_text = m.group("a"), m.group("b")
            ua, ub = _unit_of(m.group("unit")), _unit_of(m.group("b_unit"))
            ra, rb = _reading(a_text, ua), _reading(b_text, ub)
            if ra is None or rb is None or ua != ub:
                continue
            sent, s0 = sentence_of(m.start())
            found.figures.append(
                Figure(m.group(0), canon.get(ub, ub), None, block.line_at(m.start()), sent.strip(),
                       _subject(text, m.start(), m.end()), m.start(), before=(a_text, ra), after=(b_text, rb))
            )  # fmt: skip
            taken.append((m.start(), m.end()))

        for m in pat.finditer(text):
            a, b = m.span()
            if any(a < e and s < b for s, e in taken):
                continue
            num, unit_form = m.group("num"), m.group("unit")
            unit = _unit_of(unit_form)
            printed = m.group(0)
            prev_char = text[a - 1 : a]
            following = text[b : b + 4]
            line = block.line_at(a)
            noted.append((a, b))
            chinese = not re.match(r"[0-9]", num)
            joined = prev_char in ".," and text[a - 2 : a - 1].isdigit()  # 1,500 / 1.5 cut in two
            if prev_char and (
                prev_char.isdigit() or joined or prev_char == "第" or (chinese and prev_char in _CN + _MAG)
            ):
                if prev_char == "第":
                    found.skipped.append(Skipped("第" + printed, "序数", line))
                continue
            if unit == "年" and (re.fullmatch(r"[0-9]{4}", num) or following.startswith(year_words)):
                found.skipped.append(Skipped(printed + following[:1], "年份或时间", line))
                continue
            if any(a < e and s < b for s, e in idiom_spans):
                found.skipped.append(Skipped(printed, "成语或修辞", line))
                continue
            if _in_short_quote(spans, a, b, text) or any((printed + following[:k]) in names for k in range(0, 5)):
                found.skipped.append(Skipped(printed, "名称里的数字", line))
                continue
            if chinese and following.startswith(heads):
                found.skipped.append(Skipped(printed + following[:2], "名称里的数字", line))
                continue
            if enabled("er-half") and (num == "二" or (num == "半" and prev_char in "上下大一多")):
                continue  # 二次分拣, 上半年: counts are written 两; 半 in a word
            if chinese and following[:1] in "村镇乡县区市街" and unit not in ("个", "家", "所", "座", "处"):
                continue  # 三元村: a place name
            if num == "一" and not (m.group("before") or m.group("inside") or m.group("after")) and unit_form == unit:
                continue  # 一位、一份: an article, not a count
            if re.fullmatch(rf"[{_MAG}]+", num) and not m.group("before"):
                continue  # 万亩农业, 百名: a bare magnitude
            if following[:1] in ("多", "余") or following.startswith(("以来", "前", "后")):
                found.skipped.append(Skipped(printed + following[:1], "时间或约数写法，检查器读不出", line))
                continue
            reading = _reading(printed, unit)
            if (
                reading is None and m.group("before") and enabled("before-retry")
            ):  # 大概有20多万斤: the reader takes 20多万斤
                a += len(m.group("before"))
                printed = printed[len(m.group("before")) :]
                reading = _reading(printed, unit)
            if reading is None:
                found.skipped.append(Skipped(printed, "数字写法读不出", line))
                continue
            sent, s0 = sentence_of(a)
            date, inferred = _date(sent, a - s0, report_year)
            found.figures.append(
                Figure(printed, canon.get(unit, unit), reading, line, sent.strip(), _subject(text, a, b), a,
                       date=date, date_inferred=inferred)
            )  # fmt: skip
            taken.append((a, b))

        # a figure with no unit printed: 人口超过30万
        for word, unit in (rules().get("implied_units") or {}).items() if enabled("implied-units") else ():
            for m in re.finditer(
                rf"{re.escape(word)}[^，。,；]{{0,6}}?(?P<fig>(?:{_alt(_qualifier_words()['before'])})?[0-9.]+[{_MAG}]+)(?![0-9{_MAG}]|{_alt(units())})",
                text,
            ):
                a, b = m.span("fig")
                if any(a < e and s < b for s, e in taken):
                    continue
                reading = _reading(m.group("fig"), "")
                if reading is None:
                    continue
                sent, _ = sentence_of(a)
                found.figures.append(
                    Figure(m.group("fig"), unit, reading, block.line_at(a), sent.strip(), word, a, unit_printed=False)
                )
                taken.append((a, b))

        for m in re.finditer(r"[0-9]+(?:[.:：][0-9]+)*", text):
            a, b = m.span()
            if any(s <= a < e for s, e in taken + noted) or text[a - 1 : a] == "第":
                continue
            nxt = text[b : b + 2]
            kind = next((k for k, ws in skip_after.items() if nxt.startswith(tuple(ws))), None)
            reason = {
                "date": "日期或年份",
                "age": "年龄（个人信息）",
                "clock": "时刻",
                "floor": "楼层",
                "era": "代称",
            }.get(kind or "", "号码或没有单位的数字")
            if ":" in m.group() or "：" in m.group():
                reason = "时刻"
            found.skipped.append(Skipped(m.group() + nxt[:1], reason, block.line_at(a)))
        found.figures.sort(key=lambda f: (f.line, f.start))
    return found
