"""Read a figure's printed wording ("2000余名", "近600个", "七八分钟", "9.46亿元", "数百个").

cn2an reads numerals and magnitudes (9.46亿, 1.5万, 两千); this thin layer adds what it does
not: qualifiers (余, 多, 近, 约, 超过, 以上 …), ranges (七八, 三四, 3-5) and "several" (数百).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

PREFIXES = [
    ("超过", "more-than"),
    ("突破", "more-than"),
    ("多达", "more-than"),
    ("逾", "more-than"),
    ("将近", "nearly"),
    ("接近", "nearly"),
    ("近", "nearly"),
    ("大约", "about"),
    ("大概", "about"),
    ("约", "about"),
]
SUFFIXES = [("及以上", "at-least"), ("以上", "more-than"), ("左右", "about"), ("上下", "about")]
INFIX_MORE = ("余", "多")
CN_DIGITS = "零〇一二两三四五六七八九"
NUMERAL_CHARS = set("0123456789.,") | set(CN_DIGITS) | set("十百千万亿")
_DIGIT_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_ARABIC_RANGE = re.compile(r"^([0-9.]+)\s*(?:-|–|—|~|～|至|到)\s*([0-9.]+)(.*)$")


@dataclass(frozen=True)
class Reading:
    """What a printed figure says: a value or a low–high range, and its qualifier."""

    qualifier: str
    value: float | None = None
    low: float | None = None
    high: float | None = None


class Unreadable(ValueError):
    """The printed wording is not a figure this module can read; the message says why, in Chinese."""


def _to_number(numeral: str) -> float:
    numeral = numeral.replace(",", "")
    if not numeral:
        raise Unreadable("没有数字")
    try:
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise Unreadable(f"“{numeral}”不是可识别的数字") from exc
    return float(value)


def _strip_unit(text: str, unit: str) -> tuple[str, bool]:
    """Remove ``unit`` from the end of ``text``; 一分多钟 has 多 inside the unit 分钟.

    An empty ``unit`` means the source printed none (超过30万): nothing is removed.
    """
    if not unit:
        return text, False
    if text.endswith(unit):
        return text[: -len(unit)], False
    for i in range(1, len(unit)):
        for more in INFIX_MORE:
            infixed = unit[:i] + more + unit[i:]
            if text.endswith(infixed):
                return text[: -len(infixed)], True
    raise Unreadable(f"写法里找不到单位“{unit}”")


def read(printed: str, unit: str) -> Reading:
    """Read ``printed`` as a figure in ``unit``; raise :class:`Unreadable` if it is not one."""
    text = printed.strip()
    qualifiers: list[str] = []
    for word, q in PREFIXES:
        if text.startswith(word):
            qualifiers.append(q)
            text = text[len(word) :]
            break
    for word, q in SUFFIXES:
        if text.endswith(word):
            qualifiers.append(q)
            text = text[: -len(word)]
            break
    text, infix_more = _strip_unit(text, unit)
    for word, q in SUFFIXES:  # 80%以上 → the suffix may also sit before a unit-less end
        if text.endswith(word):
            qualifiers.append(q)
            text = text[: -len(word)]
    if infix_more:
        qualifiers.append("more-than")
    for more in INFIX_MORE:
        if more in text:
            text = text.replace(more, "", 1)
            qualifiers.append("more-than")
    if text.startswith("上万") or text == "上万":
        qualifiers.append("more-than")
        text = "一" + text[1:]
    if text[:1] in ("数", "几"):
        qualifiers.append("several")
        text = "一" + text[1:]
    if text[:1] in ("百", "千", "万", "亿"):  # 近百名: a bare magnitude is one of it
        text = "一" + text
    if text == "半":
        return Reading(qualifiers[0] if qualifiers else "exact", value=0.5)
    arabic = _ARABIC_RANGE.match(text)
    if arabic and not qualifiers:
        low, high = _to_number(arabic.group(1) + arabic.group(3)), _to_number(arabic.group(2) + arabic.group(3))
        return Reading("range", low=low, high=high)
    if not text or any(c not in NUMERAL_CHARS for c in text):
        bad = "".join(c for c in text if c not in NUMERAL_CHARS)
        raise Unreadable(f"数字部分有无法识别的字“{bad}”" if bad else "没有数字")
    if len(set(qualifiers)) > 1:
        raise Unreadable("限定词互相矛盾")
    qualifier = qualifiers[0] if qualifiers else "exact"

    # 七八, 三四百, 一两: two neighbouring Chinese digits make a range.
    if len(text) >= 2 and text[0] in _DIGIT_VALUE and text[1] in _DIGIT_VALUE and text[0] not in "零〇":
        a, b = _DIGIT_VALUE[text[0]], _DIGIT_VALUE[text[1]]
        if b == a + 1 or (text[0] == "一" and text[1] == "两"):
            rest = text[2:]
            low = _to_number(text[0] + rest)
            high = _to_number(text[1] + rest)
            if qualifier != "exact":
                raise Unreadable("区间不能再带限定词")
            return Reading("range", low=low, high=high)
    return Reading(qualifier, value=_to_number(text))


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _fmt(x: float | None) -> str:
    if x is None:
        return "（空）"
    return str(int(x)) if float(x).is_integer() else repr(x)


def disagreements(amount: dict, unit: str) -> list[tuple[str, str]]:
    """Compare an amount's value/low/high/qualifier with its printed wording.

    Returns (field, message) pairs; empty when they agree.
    """
    printed = amount.get("printed")
    if not isinstance(printed, str):
        return []
    try:
        reading = read(printed, unit)
    except Unreadable as exc:
        return [("printed", f"读不出“{printed}”：{exc}。printed 要照原文写数字和单位，如 2000余名、近600个")]
    out: list[tuple[str, str]] = []
    qualifier = amount.get("qualifier", "exact")
    if qualifier != reading.qualifier:
        out.append(("qualifier", f"qualifier 写的是 {qualifier}，但原文“{printed}”表示 {reading.qualifier}"))
    if reading.value is not None:
        if amount.get("low") is not None or amount.get("high") is not None:
            out.append(("low", f"原文“{printed}”是单个数字，请写 value，不要写 low/high"))
        elif not _same(amount.get("value"), reading.value):
            out.append(
                (
                    "value",
                    f"value 写的是 {_fmt(amount.get('value'))}，但原文“{printed}”是 {_fmt(reading.value)}"
                    "（万、亿要换算成整数）",
                )
            )
    else:
        if amount.get("value") is not None:
            out.append(("value", f"原文“{printed}”是一个区间，请写 low 和 high，不要写 value"))
        elif not (_same(amount.get("low"), reading.low) and _same(amount.get("high"), reading.high)):
            out.append(
                (
                    "low",
                    f"low/high 写的是 {_fmt(amount.get('low'))}–{_fmt(amount.get('high'))}，"
                    f"但原文“{printed}”是 {_fmt(reading.low)}–{_fmt(reading.high)}",
                )
            )
    return out
