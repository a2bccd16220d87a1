"""Read a figure's printed wording ("2000余名", "近600个", "七八分钟", "9.46亿元", "数百个", "10秒内").

cn2an reads numerals and magnitudes (9.46亿, 1.5万, 两千); this thin layer adds what it does not:
qualifier words (超过, 余, 以上, 不足, 以内 …), ranges (七八, 三四, 3-5) and "several" (数百). A printed
figure is read as

    [before-word [filler]] numeral [inside-word] unit [after-word]

as in 至少|有|3|家, 2000|余|名, 10|秒|以内, 一|年|有余; the inside word may also sit in the numeral
(20多万斤) or in the unit (一分多钟), and an after-word between the numeral and the unit. Every word
comes from the data, by position: the qualifiers' words from vocab/qualifiers.yaml, other printed
spellings of a unit (元钱 for 元) from vocab/units.yaml. Both are read once; :func:`reload` forgets them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import cn2an

from .vocab import Vocabulary, vocabulary

CN_DIGITS = "零〇一二两三四五六七八九"
MAGNITUDES = "十百千万亿"
NUMERAL_CHARS = frozenset("0123456789.,") | frozenset(CN_DIGITS) | frozenset(MAGNITUDES)
_DIGIT_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
#: Where a qualifier's words sit (the keys of vocab/qualifiers.yaml); see the comment at the top of that file.
POSITIONS = ("before", "fillers", "inside", "after", "magnitude", "between")
EMPHASIS = "exact"  # its words (多达, 高达) only stress the number: they do not change the reading
HINT = "printed 要照原文写数字和单位，如 2000余名、近600个"

_NUMERAL_RUN = re.compile(rf"[0-9][0-9.,]*|[{CN_DIGITS}{MAGNITUDES}]+")
_LIST_SEPARATOR = re.compile(r"、|，|,(?!\d{3}(?!\d))|；|;|以及|和|与|或|及(?!以[上下])")
_CHANGE = re.compile(r"从.+(?:到|至|为)")
_PLAIN = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")
_ARABIC = rf"([0-9][0-9.,]*)([{MAGNITUDES}]*)"  # one side of a range: 3, 1,500, 3万
_THOUSANDS = re.compile(rf"[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?[{MAGNITUDES}]*")


@dataclass(frozen=True)
class Reading:
    """What a printed figure says: a value or a low–high range, and its qualifier."""

    qualifier: str
    value: float | None = None
    low: float | None = None
    high: float | None = None


class Unreadable(ValueError):
    """The printed wording is not a figure this module can read; the message says why, in Chinese.

    ``hint``: the message is about the shape of ``printed`` as a whole (add :data:`HINT`); ``whole``: the
    message is complete on its own (it quotes ``printed`` itself).
    """

    def __init__(self, message: str, *, hint: bool = False, whole: bool = False) -> None:
        super().__init__(message)
        self.hint = hint
        self.whole = whole


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _listing(words) -> str:
    return "、".join(words) if words else "（无）"


class _Grammar:
    """The words of vocab/qualifiers.yaml and vocab/units.yaml, indexed and compiled once."""

    def __init__(self, qualifiers: Vocabulary, units: Vocabulary) -> None:
        self.words: dict[str, dict[str, str]] = {p: {} for p in POSITIONS if p != "fillers"}
        self.fillers: dict[str, tuple[str, ...]] = {}  # before-word → what may follow it before the numeral
        for term in qualifiers.terms:
            unknown = sorted(set(term.extra) - set(POSITIONS) - {"display"})  # display: case-page words
            if unknown:
                raise ValueError(
                    f"vocab/qualifiers.yaml 的 {term.slug} 有不认识的键 {'、'.join(unknown)}：词要按位置写在"
                    f" {'、'.join(POSITIONS)} 里"
                )
            for position, table in self.words.items():
                for word in term.extra.get(position) or []:
                    word = str(word)
                    if table.get(word, term.slug) != term.slug:
                        raise ValueError(
                            f"vocab/qualifiers.yaml：{position} 的“{word}”同时属于 {table[word]} 和 {term.slug}"
                        )
                    table[word] = term.slug
            fillers = tuple(str(w) for w in term.extra.get("fillers") or [])
            for word in term.extra.get("before") or []:
                self.fillers[str(word)] = fillers
        numeral = "".join(sorted(NUMERAL_CHARS))
        self.before_re = self._compile(r"^(?:{})", "before")
        self.filler_re = {w: re.compile(rf"^\s*(?:{_alternation(f)})?\s*") for w, f in self.fillers.items() if f}
        self.after_re = self._compile(r"(?:{})$", "after")
        self.inside_re = self._compile(rf"(?<=[{re.escape(numeral)}])(?:{{}})", "inside")
        self.magnitude_re = self._compile(rf"^(?:{{}})(?=[{MAGNITUDES}]+$)", "magnitude")
        self.range_re = self._compile(rf"^{_ARABIC}\s*(?:{{}})\s*{_ARABIC}$", "between")
        self.spellings = {t.slug: tuple(str(s) for s in t.extra.get("printed") or []) for t in units.terms}
        self.all_units = {t.slug for t in units.terms} | {x for v in self.spellings.values() for x in v}
        self._forms: dict[str, tuple[tuple[str, str | None], ...]] = {}

    def _compile(self, pattern: str, position: str) -> re.Pattern | None:
        words = self.words[position]
        return re.compile(pattern.format(_alternation(words))) if words else None

    def forms(self, unit: str) -> tuple[tuple[str, str | None], ...]:
        """How ``unit`` may be printed, longest first: as is, its other spellings, with an inside-word in it
        (分多钟 for 分钟, with 多 as the second item)."""
        forms = self._forms.get(unit)
        if forms is None:
            spellings = (unit, *self.spellings.get(unit, ()))
            found: list[tuple[str, str | None]] = [(s, None) for s in spellings]
            for s in spellings:
                for i in range(1, len(s)):
                    found += [(s[:i] + w + s[i:], w) for w in self.words["inside"]]
            forms = self._forms[unit] = tuple(sorted(found, key=lambda f: len(f[0]), reverse=True))
        return forms

    # -- reading ---------------------------------------------------------------------------------------

    def read(self, printed: str, unit: str) -> Reading:
        text = printed.strip()
        if not text:
            raise Unreadable("没有数字", hint=True)
        try:
            return self._read(text, unit)
        except Unreadable:
            several = self._several(text, unit)
            if several is not None:
                raise several from None
            raise

    def _read(self, text: str, unit: str) -> Reading:
        found: list[tuple[str, str]] = []  # (word, qualifier) of every qualifier word, in reading order
        before = None
        m = self.before_re.match(text) if self.before_re else None
        if m:
            before = m.group()
            found.append((before, self.words["before"][before]))
            text = text[m.end() :].lstrip()
            filler = self.filler_re.get(before)
            if filler:
                text = text[filler.match(text).end() :]
        core, inside, after = self._split_unit(text, unit)
        if after:
            found.append((after, self.words["after"][after]))
        if unit and self.after_re:  # 80以上% → an after-word may also sit between the numeral and the unit
            m = self.after_re.search(core)
            if m:
                found.append((m.group(), self.words["after"][m.group()]))
                core = core[: m.start()]
        if inside is None and self.inside_re:
            m = self.inside_re.search(core)
            if m:
                inside = m.group()
                core = core[: m.start()] + core[m.end() :]
        if inside:
            found.append((inside, self.words["inside"][inside]))
        m = self.magnitude_re.match(core) if self.magnitude_re else None
        if m:
            found.append((m.group(), self.words["magnitude"][m.group()]))
            core = "一" + core[m.end() :]
        elif core and core[0] in MAGNITUDES:  # 近百名: a bare magnitude is one of it
            core = "一" + core

        qualified = [(w, q) for w, q in found if q != EMPHASIS]
        if len({q for _, q in qualified}) > 1:
            (w1, q1), (w2, q2) = qualified[0], next(x for x in qualified if x[1] != qualified[0][1])
            raise Unreadable(f"限定词“{w1}”（{q1}）和“{w2}”（{q2}）互相矛盾：一个数字只能有一个限定词")
        qualifier = qualified[0][1] if qualified else "exact"

        if core == "半":
            return Reading(qualifier, value=0.5)
        m = self.range_re.match(core) if self.range_re else None
        if m:
            if qualified:
                raise Unreadable(f"“{core}”是区间，不能再带限定词“{qualified[0][0]}”")
            low, low_magnitude, high, high_magnitude = m.groups()  # 3-5万: the magnitude is shared
            reading = Reading(
                "range", low=_to_number(low + (low_magnitude or high_magnitude)), high=_to_number(high + high_magnitude)
            )
            if reading.low > reading.high:
                raise Unreadable(f"区间“{core}”前一个数比后一个数大")
            return reading
        self._check_numeral(core, unit, before)

        # 七八, 三四百, 一两: two neighbouring Chinese digits make a range.
        if len(core) >= 2 and core[0] in _DIGIT_VALUE and core[1] in _DIGIT_VALUE and core[0] not in "零〇":
            a, b = _DIGIT_VALUE[core[0]], _DIGIT_VALUE[core[1]]
            if b == a + 1 or (core[0] == "一" and core[1] == "两"):
                if qualified:
                    raise Unreadable(f"“{core[:2]}”是区间，不能再带限定词“{qualified[0][0]}”")
                rest = core[2:]
                return Reading("range", low=_to_number(core[0] + rest), high=_to_number(core[1] + rest))
        return Reading(qualifier, value=_to_number(core))

    def _split_unit(self, text: str, unit: str) -> tuple[str, str | None, str | None]:
        """``text`` without the unit and an after-word: (numeral part, inside-word in the unit, after-word)."""
        if not unit:  # the source printed no unit (超过30万)
            m = self.after_re.search(text) if self.after_re else None
            return (text[: m.start()], None, m.group()) if m else (text, None, None)
        forms = self.forms(unit)
        for form, inside in forms:
            if text.endswith(form):
                return text[: -len(form)], inside, None
        m = self.after_re.search(text) if self.after_re else None
        if m:
            head = text[: m.start()]
            for form, inside in forms:
                if head.endswith(form):
                    return head[: -len(form)], inside, m.group()
        at = [(text.rfind(form) + len(form), form) for form, _ in forms if form in text]
        if not at:
            other = next(
                (u for u in sorted(self.all_units, key=len, reverse=True) if u != unit and text.endswith(u)), None
            )
            if other is not None:
                raise Unreadable(
                    f"原文印出的单位是“{other}”，不是“{unit}”：unit 写 {other}"
                    f"（两种写法是同一个单位时，可在 vocab/units.yaml 的 {unit} 下加 printed: [{other}]）",
                    hint=True,
                )
            raise Unreadable(
                f"写法里找不到单位“{unit}”（原文没有印出单位时，unit 照写实际单位，并写 unit_printed: false）",
                hint=True,
            )
        end, form = max(at)
        raise Unreadable(
            f"单位“{form}”后面的“{text[end:]}”读不懂：单位后面的限定词只能是 {_listing(self.words['after'])}"
            f"（vocab/qualifiers.yaml）；如果“{text[end:]}”是统计的对象，printed 只写到单位为止"
            f"（“{text[:end]}”），“{text[end:]}”写进 subject"
        )

    def _check_numeral(self, core: str, unit: str, before: str | None) -> None:
        """Raise :class:`Unreadable` naming what in ``core`` is not a numeral, and where it sits."""
        positions = [i for i, c in enumerate(core) if c in NUMERAL_CHARS]
        if not positions:
            raise Unreadable(f"“{core}”里没有数字" if core else "没有数字", hint=True)
        first, last = positions[0], positions[-1]
        lead, tail = core[:first], core[last + 1 :]
        middle = "".join(c for c in core[first : last + 1] if c not in NUMERAL_CHARS)
        problems = []
        if lead:
            m = self.before_re.match(lead) if self.before_re else None
            if before and m:
                problems.append(f"数字前面有两个限定词“{before}”和“{m.group()}”：一个数字只能有一个限定词")
            elif before and self.fillers.get(before):
                problems.append(
                    f"“{before}”和数字之间的“{lead}”读不懂：这里只能是 {_listing(self.fillers[before])}"
                    "（vocab/qualifiers.yaml 的 fillers）"
                )
            elif before:
                problems.append(f"“{before}”和数字之间的“{lead}”读不懂：“{before}”后面要紧跟数字")
            else:
                problems.append(
                    f"数字前面的“{lead}”读不懂：数字前面的限定词只能是 {_listing(self.words['before'])}"
                    "（vocab/qualifiers.yaml）"
                )
        if middle:
            problems.append(f"数字“{core[first : last + 1]}”里的“{middle}”读不懂")
        if tail and unit:
            problems.append(
                f"数字和单位“{unit}”之间的“{tail}”读不懂：这里只能是 {_listing(self.words['inside'])}"
                "（vocab/qualifiers.yaml）"
            )
        elif tail:
            problems.append(
                f"数字后面的“{tail}”读不懂：数字后面的限定词只能是 {_listing(self.words['after'])}"
                "（vocab/qualifiers.yaml）；原文印了单位时，unit 照写"
            )
        if problems:
            raise Unreadable("；".join(problems))

    def _several(self, text: str, unit: str) -> Unreadable | None:
        """A phrase with several figures (240人、208人和80人) or a change (从13小时压缩到0.04小时), or None."""
        if len(_NUMERAL_RUN.findall(text)) < 2:
            return None
        if _CHANGE.search(text):
            inside = _alternation(self.words["inside"])
            amount = rf"(?:{_NUMERAL_RUN.pattern})(?:{inside})?{re.escape(unit)}"  # 13小时, 2000余名
            amounts = re.findall(amount, text) if unit else []
            example = f"（如“{amounts[0]}”和“{amounts[-1]}”）" if len(amounts) >= 2 else ""
            return Unreadable(
                f"“{text}”是一个变化：请写 before 和 after，各自的 printed 写变化前、后的那个数字{example}，"
                "这里的 printed 保留整句，不写 value",
                whole=True,
            )
        parts = [p.strip() for p in _LIST_SEPARATOR.split(text) if _NUMERAL_RUN.search(p)]
        if len(parts) < 2:
            return None
        n = len(parts)
        return Unreadable(
            f"“{text}”里有 {n} 个数字：一条 numbers 只记一个数字，请分成 {n} 条，printed 各写其中一个"
            f"（如“{parts[0]}”），subject 分别写清统计的是什么",
            whole=True,
        )


@cache
def _grammar() -> _Grammar:
    return _Grammar(vocabulary("qualifiers"), vocabulary("units"))


def reload() -> None:
    """Forget the words read from the vocabularies, so that the next reading reads them again."""
    _grammar.cache_clear()
    _read.cache_clear()


def _to_number(numeral: str) -> float:
    if "," in numeral:
        if not _THOUSANDS.fullmatch(numeral):
            raise Unreadable(f"“{numeral}”里的逗号不是千位分隔（1,383 这样每三位一个）")
        numeral = numeral.replace(",", "")
    if not numeral:
        raise Unreadable("没有数字", hint=True)
    if _PLAIN.fullmatch(numeral):  # 2000, 0.04: plain digits need no cn2an (the most common case, twice as fast)
        return float(numeral)
    try:
        value = float(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError, OverflowError) as exc:
        raise Unreadable(f"“{numeral}”不是可识别的数字") from exc
    if not math.isfinite(value):
        raise Unreadable(f"“{numeral}”不是有限的数字")
    return value


@lru_cache(maxsize=1 << 15)
def _read(printed: str, unit: str) -> Reading:
    return _grammar().read(printed, unit)


def read(printed: str, unit: str) -> Reading:
    """Read ``printed`` as a figure in ``unit``; raise :class:`Unreadable` if it is not one."""
    return _read(printed, unit)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _fmt(x: float | None) -> str:
    if x is None:
        return "（空）"
    return str(int(x)) if float(x).is_integer() else repr(x)


def _finite(x: object) -> bool:
    return not isinstance(x, float) or math.isfinite(x)


def disagreements(amount: dict, unit: str) -> list[tuple[str, str]]:
    """Compare an amount's value/low/high/qualifier with its printed wording.

    Returns (field, message) pairs; empty when they agree.
    """
    out: list[tuple[str, str]] = []
    infinite = [f for f in ("value", "low", "high") if not _finite(amount.get(f))]
    for f in infinite:
        out.append((f, f"{f} 写的是 {amount[f]}，不是有限的数字：请照原文写出具体数值"))
    printed = amount.get("printed")
    if not isinstance(printed, str):
        return out
    try:
        reading = read(printed, unit)
    except Unreadable as exc:
        message = str(exc) if exc.whole else f"读不出“{printed}”：{exc}" + (f"。{HINT}" if exc.hint else "")
        return [*out, ("printed", message)]
    qualifier = amount.get("qualifier", "exact")
    if qualifier != reading.qualifier:
        out.append(("qualifier", f"qualifier 写的是 {qualifier}，但原文“{printed}”表示 {reading.qualifier}"))
    if infinite:
        return out
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
