"""``casebook verify``: check records against the text of their sources.

Sources are not redistributed, but an editor has the article. Everything a record claims is
printed must occur verbatim in the source: ``model.name``, ``model.parts``, ``measures[].name``,
``numbers[].printed`` (and ``before``/``after`` ``printed``) and ``quotes[].text``; a miss is an
error, reported at the record's line with the closest wording the source has. Two kinds of hint
do not fail: a summary, title or measure text that copies :data:`COPY_RUN` or more characters of
the source in a row (outside quotation marks), and a figure the source prints in a paragraph that
names the case's place but that no record citing the source holds in ``printed``.

Text is compared after :func:`normalise`: NFKC, no whitespace at all (the scan breaks lines
anywhere, even inside words), one quotation mark for “”‘’"'「」『』, one dash, one middle dot, and
markdown emphasis or heading marks the conversion left dropped. See docs-notes/verify.md.
"""

from __future__ import annotations

import bisect
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from pathlib import Path
from typing import Any

from .load import Loaded, load_file
from .problems import Problem, errors

#: A run of this many normalised characters or more, copied from the source outside quotation
#: marks, in a summary, title or measure text, is a hint. Quotations belong in ``quotes`` (≤ 100
#: characters) or inside quotation marks; a slogan in quotation marks does not count.
COPY_RUN = 20
#: The closest wording is offered only when it is at least this similar (difflib ratio).
CLOSE_ENOUGH = 0.5
MAX_SOURCE_BYTES = 8 * 1024 * 1024  # a scanned article is tens of KB

QUOTE = '"'
_QUOTES = "“”‘’\"'「」『』〝〞〟＂＇‚‛„‟‹›«»"
_DASHES = "‐‑‒–—―−－─"
_DOTS = "·・･•‧∙"
_MAP = {c: QUOTE for c in _QUOTES}
_MAP.update({c: "-" for c in _DASHES})
_MAP.update({c: "·" for c in _DOTS})
_MAP.update({"〜": "~", "⋯": "...", "【": "[", "〔": "[", "〖": "[", "】": "]", "〕": "]", "〗": "]"})
_DROP = frozenset("*\u200b\u200c\u200d\u2060\ufeff\u00ad")
_HEADING = re.compile(r"(?m)^[ \t\u3000]*#{1,6}(?=[ \t\u3000])")


class _Table(dict):
    """``str.translate`` table: code point → its normalised text, computed once per character."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c in _DROP or c.isspace():
            out = ""
        else:
            out = "".join(_MAP.get(x, x) for x in unicodedata.normalize("NFKC", _MAP.get(c, c)))
            out = "".join(x for x in out if not x.isspace() and x not in _DROP)
        self[code] = out
        return out


_TABLE = _Table()


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` as compared, and for each of its characters the index of the one it came from.

    Each character is normalised on its own, so the two always agree: ``norm(a + b) == norm(a) + norm(b)``
    (but for heading marks, which are dropped only at the start of a line).
    """
    skip: set[int] = set()
    if "#" in text:
        for m in _HEADING.finditer(text):
            skip.update(range(m.start(), m.end()))
    table = _TABLE
    index: list[int] = []
    chars: list[str] = []
    for i, c in enumerate(text):
        out = table[ord(c)]
        if out and i not in skip:
            chars.append(out)
            if len(out) == 1:
                index.append(i)
            else:
                index.extend([i] * len(out))
    return "".join(chars), index


def norm(text: str) -> str:
    """:func:`normalise` without the index."""
    if "#" in text:
        return normalise(text)[0]
    return text.translate(_TABLE)


def _words(text: str) -> list[str]:
    return text.split()


# --- sources ---------------------------------------------------------------------------------

_TERMINAL = tuple("。！？!?…；;”’」』)）")
_PUNCT = re.compile(r"[\W_]")
# a number goes on past a decimal point, or past a thousands comma followed by three digits
_JOINED_AFTER = re.compile(r"\.[0-9]|,[0-9]{3}(?![0-9])")
_THREE = re.compile(r"[0-9]{3}(?![0-9])")


@dataclass
class Source:
    """One source text, normalised, with a way back to its lines."""

    path: Path
    text: str
    norm: str = ""
    index: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.norm, self.index = normalise(self.text)
        self._breaks = [i for i, c in enumerate(self.text) if c == "\n"]

    @property
    def name(self) -> str:
        return self.path.name

    def line(self, pos: int) -> int:
        """The 1-based line of the source on which normalised position ``pos`` falls."""
        if not self.index:
            return 1
        orig = self.index[min(max(pos, 0), len(self.index) - 1)]
        return bisect.bisect_left(self._breaks, orig) + 1

    def shown(self, start: int, end: int) -> str:
        """The original text behind normalised ``start:end``, the scan's line breaks taken out."""
        if start >= end or not self.index:
            return ""
        raw = self.text[self.index[start] : self.index[end - 1] + 1]
        raw = re.sub(r"[ \t\u3000]*\n\s*", "", raw)
        return re.sub(r"\s+", " ", raw).strip()

    def find(self, needle: str, *, elided: bool = False) -> int:
        """Where normalised ``needle`` starts in the source, or -1.

        A needle never matches part of a longer number: 2000余名 is not found in 12000余名, nor 1.5 in
        1.56. With ``elided`` (quotations), an ellipsis marks words left out: the parts around it must
        occur in order, within a few hundred characters.
        """
        if not needle:
            return 0
        for pos in self.occurrences(needle):
            if self._whole(pos, pos + len(needle)):
                return pos
        if not elided or "..." not in needle:
            return -1
        parts = [p for p in re.split(r"\.{3,}", needle) if p]
        for start in self.occurrences(parts[0]) if parts else ():
            at = start + len(parts[0])
            for part in parts[1:]:
                at = self.norm.find(part, at, start + 500)
                if at < 0:
                    break
                at += len(part)
            else:
                if self._whole(start, at):
                    return start
        return -1

    def _whole(self, a: int, b: int) -> bool:
        """Whether ``a:b`` neither starts nor ends inside a number of the source (1.56, 12000, 1,500)."""
        s = self.norm
        if a > 0 and s[a].isdigit():
            if s[a - 1].isdigit():
                return False
            if a > 1 and s[a - 2].isdigit() and (s[a - 1] == "." or (s[a - 1] == "," and _THREE.match(s, a))):
                return False
        return not (b < len(s) and s[b - 1].isdigit() and (s[b].isdigit() or _JOINED_AFTER.match(s, b)))

    def occurrences(self, needle: str) -> Iterator[int]:
        if not needle:
            return
        at = self.norm.find(needle)
        while at >= 0:
            yield at
            at = self.norm.find(needle, at + 1)

    @cached_property
    def _bigrams(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        s = self.norm
        for i in range(len(s) - 1):
            out.setdefault(s[i : i + 2], []).append(i)
        return out

    @cached_property
    def _chars(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, c in enumerate(self.norm):
            out.setdefault(c, []).append(i)
        return out

    @cached_property
    def grams(self) -> frozenset[str]:
        """Every run of :data:`COPY_RUN` normalised characters."""
        s, n = self.norm, COPY_RUN
        return frozenset(s[i : i + n] for i in range(len(s) - n + 1))

    def closest(self, needle: str, near: int | None = None) -> tuple[int, int] | None:
        """The normalised span most like ``needle`` (difflib ratio ≥ :data:`CLOSE_ENOUGH`), or None.

        Of two spans about as alike, the one nearer ``near`` (where the record's other printed
        values are: the same article on a page of several) wins.
        """
        m = len(needle)
        if not m or not self.norm:
            return None
        votes: Counter[int] = Counter()
        for j in range(m - 1):
            for p in self._bigrams.get(needle[j : j + 2], ()):
                votes[p - j] += 1
        starts = {start for start, _ in votes.most_common(25)}
        if m <= 12:  # short: also windows that share characters in place (28名 → 26名 shares none of 28, 8名)
            chars: Counter[int] = Counter()
            for j, c in enumerate(needle):
                for p in self._chars.get(c, ()):
                    chars[p - j] += 1
            starts.update(start for start, _ in chars.most_common(25))
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(needle)
        # Same length first (a changed character); then one shorter or longer (one left out or added).
        for lengths in ((m,), tuple(x for x in (m - 1, m + 1, m + 2) if x > 0)):
            best: tuple[float, int, int] | None = None
            for start in starts:
                for length in lengths:
                    for st in (start - 1, start, start + 1):
                        if st < 0 or st + length > len(self.norm):
                            continue
                        window = self.norm[st : st + length]
                        matcher.set_seq1(window)
                        if matcher.real_quick_ratio() + 0.1 < (best[0] if best else CLOSE_ENOUGH):
                            continue
                        r = matcher.ratio()
                        if r < CLOSE_ENOUGH:
                            continue
                        if length == m:  # a changed character keeps the others in place: 28名 → 26名, not 285
                            r += 0.1 * sum(x == y for x, y in zip(window, needle, strict=True)) / m
                            r += 0.05 * (window[0] == needle[0]) + 0.05 * (window[-1] == needle[-1])
                        # a window that cuts a number in two (the 2万名 of 12万名) is a poor match
                        if st > 0 and window[0].isdigit() and self.norm[st - 1].isdigit():
                            r -= 0.05
                        if window[-1].isdigit() and self.norm[st + length : st + length + 1].isdigit():
                            r -= 0.05
                        if near is not None:
                            r -= 0.05 * abs(st - near) / len(self.norm)
                        if best is None or r > best[0]:
                            best = (r, st, st + length)
            if best is not None:
                return self._trim(needle, best[1], best[2])
        return None

    def _trim(self, needle: str, a: int, b: int) -> tuple[int, int]:
        """``a:b`` without punctuation at either end that ``needle`` does not have there."""
        while b - a > 1 and _PUNCT.match(self.norm[a]) and not _PUNCT.match(needle[0]):
            a += 1
        while b - a > 1 and _PUNCT.match(self.norm[b - 1]) and not _PUNCT.match(needle[-1]):
            b -= 1
        return a, b

    @cached_property
    def paragraphs(self) -> list[int]:
        """Normalised start of each paragraph; a block cut off by the scan joins the next one."""
        starts: list[int] = []
        pos = 0
        joined = False
        for k, block in enumerate(re.split(r"(\n[ \t\u3000]*\n\s*)", self.text)):
            if k % 2 == 0 and block.strip():
                if not joined:
                    starts.append(pos)
                joined = not block.rstrip().endswith(_TERMINAL)
            pos += len(block)
        # original offsets → normalised offsets
        return sorted({bisect.bisect_left(self.index, s) for s in starts} | {0})

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraphs, pos) - 1

    def paragraph_span(self, k: int) -> tuple[int, int]:
        ends = self.paragraphs[1:] + [len(self.norm)]
        return self.paragraphs[k], ends[k]

    @cached_property
    def figures(self) -> list[tuple[int, int]]:
        """Normalised spans of the figures printed with a numeral in digits and a unit."""
        out = []
        for m in _FIGURE.finditer(self.norm):
            digits, unit = m.group(1), m.group(3)
            after = self.norm[m.end() : m.end() + 1]
            if unit == "年" and (len(digits) == 4 or after == "代"):
                continue  # a year (2022年, 2022年度), a decade (90年代)
            out.append((m.start(), m.end()))
        return out


_UNITS = sorted(
    set(
        _words(
            "名 人 人次 位 个 家 户 件 次 场 场次 期 批 批次 支 处 所 座 栋 间 套 台 辆 条 项 类 大类 本 册 张 份 篇 "
            "元 万元 亿元 亩 平方米 平米 平方公里 公里 千米 米 吨 斤 公斤 千克 单 天 小时 分钟 秒 年 个月 周 岁 倍 % 届 轮 "
            "组 队 支队 站 节 门 部 种 款"
        )
    ),
    key=len,
    reverse=True,
)
# A figure: digits (not an ordinal 第21期, not part of a code or a longer number), an optional
# magnitude, 余/多, then a unit. Months, days and clock times (12月14日, 14时, 9:30) have no unit here.
_FIGURE = re.compile(
    r"(?<![0-9A-Za-z第])(?<![0-9][.,])([0-9]+(?:[.,][0-9]+)*)([万亿千百]*(?:余|多)?)("
    + "|".join(map(re.escape, _UNITS))
    + ")(?:多|余|以上|左右)?"
)


class SourceMissing(Exception):
    """A source file cannot be read; the message says why, in Chinese."""


def read_source(path: Path) -> Source:
    """Read one source text; :class:`SourceMissing` if it is absent or not a readable text file."""
    if path.name in ("", ".", ".."):
        raise SourceMissing(f"原文文件名“{path.name}”不是一个文件")
    try:
        info = path.stat()
    except OSError:
        raise SourceMissing(f"原文文件 {path.name} 不在 {path.parent} 里") from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceMissing(f"{path} 不是普通文件")
    if info.st_size > MAX_SOURCE_BYTES:
        raise SourceMissing(f"原文文件 {path} 太大（{info.st_size // 1024} KB），不像是一篇文章")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceMissing(f"原文文件 {path} 无法读取：{exc.strerror or exc}") from None
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return Source(path, text)


# --- what a record claims is printed -------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One value a record says the source prints, or writes in its own words."""

    where: tuple[str | int, ...]
    label: str  # how the message names it: “numbers 第3项 printed”
    text: str
    source_key: str | None = None


def _items(data: dict, key: str) -> Iterator[tuple[int, dict]]:
    value = data.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _key(item: dict) -> str | None:
    k = item.get("source")
    return k if isinstance(k, str) else None


def printed_claims(data: dict) -> list[Claim]:
    """Every value the record says is printed (the errors come from these)."""
    out: list[Claim] = []
    model = data.get("model")
    if isinstance(model, dict):
        if isinstance(model.get("name"), str):
            out.append(Claim(("model", "name"), "model.name", model["name"]))
        parts = model.get("parts")
        if isinstance(parts, list):
            for i, part in enumerate(parts):
                if isinstance(part, str):
                    out.append(Claim(("model", "parts", i), f"model.parts 第{i + 1}项", part))
    for i, m in _items(data, "measures"):
        if isinstance(m.get("name"), str):
            out.append(Claim(("measures", i, "name"), f"measures 第{i + 1}项 name", m["name"], _key(m)))
    for i, n in _items(data, "numbers"):
        if isinstance(n.get("printed"), str):
            out.append(Claim(("numbers", i, "printed"), f"numbers 第{i + 1}项 printed", n["printed"], _key(n)))
        for side in ("before", "after"):
            part = n.get(side)
            if isinstance(part, dict) and isinstance(part.get("printed"), str):
                out.append(
                    Claim(
                        ("numbers", i, side, "printed"), f"numbers 第{i + 1}项 {side}.printed", part["printed"], _key(n)
                    )
                )
    for i, q in _items(data, "quotes"):
        if isinstance(q.get("text"), str):
            out.append(Claim(("quotes", i, "text"), f"quotes 第{i + 1}项 text", q["text"], _key(q)))
    return out


def own_words(data: dict) -> list[Claim]:
    """The texts that must be in the editors' own words."""
    out: list[Claim] = []
    for key in ("title", "summary"):
        if isinstance(data.get(key), str):
            out.append(Claim((key,), key, data[key]))
    for i, m in _items(data, "measures"):
        if isinstance(m.get("text"), str):
            out.append(Claim(("measures", i, "text"), f"measures 第{i + 1}项 text", m["text"], _key(m)))
    return out


# --- place names -------------------------------------------------------------------------------

_PEOPLES = _words(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
_AUTONOMOUS = re.compile(
    r"^(.+?)(?:(?:" + "|".join(sorted(_PEOPLES, key=len, reverse=True)) + r")族)+自治(?:州|县|旗)$"
)
_SUFFIXES = (
    "村民委员会", "居民委员会", "村委会", "居委会", "街道办事处", "街道", "社区", "新区", "地区", "林区", "特区",
    "市", "县", "区", "镇", "乡", "村", "旗", "盟", "州",
)  # fmt: skip
_LEVELS = ("county", "town", "village")


def place_names(region: Any) -> list[str]:
    """The names a source would use for the case's place: county and below (the city when the
    record names no county), each with its short form (龙里县 → 龙里). A province alone gives none."""
    if not isinstance(region, dict):
        return []

    def name(level: str) -> str | None:
        d = region.get(level)
        return d.get("name") if isinstance(d, dict) and isinstance(d.get("name"), str) else None

    levels = [lv for lv in _LEVELS if name(lv)]
    if not name("county") and name("city"):
        levels.insert(0, "city")
    out: list[str] = []
    for lv in levels:
        forms = [name(lv) or ""]
        m = _AUTONOMOUS.match(forms[0])
        if m:
            forms.append(m.group(1))
        while True:  # 乐遥村村民委员会 → 乐遥村 → 乐遥
            cut = next((forms[-1][: -len(x)] for x in _SUFFIXES if forms[-1].endswith(x)), "")
            if len(cut) < 2:
                break
            forms.append(cut)
        for n in map(norm, forms):
            if len(n) >= 2 and n not in out:
                out.append(n)
    return out


# --- verifying -----------------------------------------------------------------------------------


@dataclass
class Result:
    """What a verify run found: the problems, and how many records were checked against a source."""

    problems: list[Problem]
    records: int = 0
    verified: int = 0
    sources: set[str] = field(default_factory=set)


@dataclass
class _Record:
    loaded: Loaded
    sources: dict[str | None, Source]  # key → source (None: the one --source file)
    missing: bool = False

    @property
    def data(self) -> dict:
        return self.loaded.data

    def texts_for(self, key: str | None) -> list[Source]:
        if key is not None and key in self.sources:
            return [self.sources[key]]
        return list(self.sources.values())


def _quoted(text: str) -> str:
    """“…” shown in a message (the text's own line breaks taken out)."""
    return "“" + re.sub(r"\s*\n\s*", "", text) + "”"


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_printed(rec: _Record, path: str) -> list[Problem]:
    out: list[Problem] = []
    found: dict[int, list[int]] = {}  # source → where the record's printed values are
    missed: list[tuple[Claim, str, list[Source]]] = []
    for claim in printed_claims(rec.data):
        needle = norm(claim.text)
        texts = rec.texts_for(claim.source_key)
        if not needle or not texts:
            continue
        elided = claim.where[0] == "quotes"
        hits = [(src, src.find(needle, elided=elided)) for src in texts]
        hits = [(src, at) for src, at in hits if at >= 0]
        for src, at in hits:
            found.setdefault(id(src), []).append(at)
        if not hits:
            missed.append((claim, needle, texts))
    for claim, needle, texts in missed:
        if rec.missing and (claim.source_key is None or claim.source_key not in rec.sources):
            continue  # it may be printed in the source that is not here
        near = ""
        best: tuple[float, Source, int, int] | None = None
        for src in texts:
            at = sorted(found.get(id(src), []))
            span = src.closest(needle, at[len(at) // 2] if at else None)
            if span:
                r = SequenceMatcher(None, needle, src.norm[span[0] : span[1]], autojunk=False).ratio()
                if best is None or r > best[0]:
                    best = (r, src, *span)
        if best:
            _, src, a, b = best
            where = f"{src.name} " if len(rec.sources) > 1 else ""
            near = f"（原文{where}第 {src.line(a)} 行附近相近的写法：{_quoted(src.shown(a, b))}）"
        else:
            near = "（原文里没有相近的写法）"
        what = "引语" if claim.where[0] == "quotes" else ""
        out.append(
            Problem(
                path,
                rec.loaded.line(claim.where),
                f"{claim.label} {_quoted(_cut(claim.text))} 在原文里找不到：{what}请照原文一字不差地抄写{near}",
            )
        )
    return out


def _unquoted_mask(text: str) -> list[bool]:
    """For each normalised character, whether it is outside quotation marks (a short quotation of
    the source inside quotation marks is the editors' citing, not copying)."""
    out: list[bool] = []
    inside = False
    for c in text:
        if c == QUOTE:
            out.append(False)
            inside = not inside
        else:
            out.append(not inside)
    if inside:  # unpaired: treat the whole text as unquoted
        return [c != QUOTE for c in text]
    return out


def copied_runs(text: str, src: Source) -> list[tuple[int, int, int]]:
    """Runs of ``text`` (normalised) copied from ``src``: (start, end, source position), each with at
    least :data:`COPY_RUN` characters outside quotation marks."""
    s = norm(text)
    n = COPY_RUN
    if len(s) < n:
        return []
    grams = src.grams
    mask = _unquoted_mask(s)
    out = []
    i = 0
    while i + n <= len(s):
        if s[i : i + n] not in grams:
            i += 1
            continue
        j = i + n
        at = src.norm.find(s[i:j])
        while j < len(s):
            nxt = src.norm.find(s[i : j + 1], at)
            if nxt < 0:
                break
            at, j = nxt, j + 1
        a, b = i, j  # a shared comma at either end is not copying
        while a < b and _PUNCT.match(s[a]):
            a += 1
        while b > a and _PUNCT.match(s[b - 1]):
            b -= 1
        if sum(mask[a:b]) >= n:
            out.append((a, b, at + (a - i)))
        i = j
    return out


def _check_copies(rec: _Record, path: str) -> list[Problem]:
    out: list[Problem] = []
    for claim in own_words(rec.data):
        for src in rec.texts_for(claim.source_key):
            for i, j, at in copied_runs(claim.text, src):
                run = src.shown(at, at + (j - i))
                out.append(
                    Problem(
                        path,
                        rec.loaded.line(claim.where),
                        f"{claim.label} 与原文第 {src.line(at)} 行附近连续 {j - i} 个字相同：{_quoted(_cut(run, 80))}；"
                        f"概述和措施要用自己的话写（连续照抄不超过 {COPY_RUN - 1} 个字），原话请放进 quotes",
                        warning=True,
                    )
                )
    return out


def _check_figures(group: list[_Record], src: Source, paths: dict[int, str]) -> list[Problem]:
    """Figures printed in the paragraphs naming each case's place that no record in ``group`` holds."""
    covered = bytearray(len(src.norm) + 1)
    for rec in group:
        for claim in printed_claims(rec.data):
            if claim.where[0] != "numbers":
                continue
            needle = norm(claim.text)
            for at in src.occurrences(needle):
                covered[at : at + len(needle)] = b"\x01" * len(needle)
    # a figure the notes of any of these records mention is one the editors chose to leave out
    said = norm(" ".join(str(r.data.get(k) or "") for r in group for k in ("notes", "editor_notes")))
    loose = [(a, b) for a, b in src.figures if not covered[a] and src.norm[a:b] not in said]
    if not loose:
        return []
    out: list[Problem] = []
    spans = [src.paragraph_span(k) for k in range(len(src.paragraphs))]
    for rec in group:
        places = place_names(rec.data.get("region"))
        if not places:
            continue
        named = {k for k, (a, b) in enumerate(spans) if any(p in src.norm[a:b] for p in places)}
        if not named:
            continue
        line = rec.loaded.line(("numbers",) if "numbers" in rec.data else ("measures",))
        for a, b in loose:
            if src.paragraph_of(a) not in named:
                continue
            para = spans[src.paragraph_of(a)]
            lo, hi = max(a - 12, para[0]), min(b + 10, para[1])
            context = ("…" if lo > para[0] else "") + src.shown(lo, hi) + ("…" if hi < para[1] else "")
            out.append(
                Problem(
                    paths[id(rec)],
                    line,
                    f"原文第 {src.line(a)} 行附近印有数字 {_quoted(src.shown(a, b))}（上下文：{context}），"
                    "引用这篇原文的记录都没有收录：如是本案例的数字，请加进 numbers（printed 照原文写）；"
                    "有意不录的，可在 notes 里写明",
                    warning=True,
                )
            )
    return out


def default_sources_dir() -> Path:
    from .paths import project_root

    return project_root().parent / "shared" / "sources"


def verify(
    records: Iterable[Path],
    *,
    sources_dir: Path | None = None,
    source_file: Path | None = None,
    display=None,
) -> Result:
    """Verify record files (or folders of them) against their sources.

    ``source_file`` is one source for every record; otherwise each record's ``sources[].file`` is
    looked up in ``sources_dir`` (default :func:`default_sources_dir`).
    """
    from .check import display_path, find_records

    show = display or display_path
    files = find_records(list(records))
    result = Result([], records=len(files))
    cache: dict[Path, Source | SourceMissing] = {}

    def get(p: Path) -> Source:
        key = p.absolute()
        if key not in cache:
            try:
                cache[key] = read_source(p)
            except SourceMissing as exc:
                cache[key] = exc
        got = cache[key]
        if isinstance(got, SourceMissing):
            raise got
        return got

    recs: list[_Record] = []
    paths: dict[int, str] = {}
    problems = result.problems
    base = sources_dir if sources_dir is not None else default_sources_dir()
    if source_file is not None:
        try:
            get(source_file)
        except SourceMissing as exc:
            problems.append(Problem(show(source_file), 0, f"无法核对：{exc}", warning=True))
            return result
    elif not base.is_dir():
        problems.append(
            Problem(
                show(base),
                0,
                "原文文件夹不存在，没有核对任何记录：原文不随项目分发，请用 --sources 指定放原文的文件夹，"
                "或用 --source 指定一个原文文件",
                warning=True,
            )
        )
        return result
    for f in files:
        loaded = load_file(f, show(f))
        if errors(loaded.problems) or not isinstance(loaded.data, dict):
            problems.extend(errors(loaded.problems) or [Problem(loaded.path, 1, "不是一个案例记录（应为映射）")])
            continue
        rec = _Record(loaded, {})
        if source_file is not None:
            rec.sources[None] = get(source_file)
        else:
            cited = [(i, s) for i, s in _items(loaded.data, "sources")]
            with_file = [(i, s) for i, s in cited if isinstance(s.get("file"), str)]
            if not with_file:
                problems.append(
                    Problem(
                        loaded.path,
                        loaded.line(("sources",)),
                        "无法核对：sources 里没有写 file（原文文件名），也没有用 --source 指定原文",
                        warning=True,
                    )
                )
                continue
            rec.missing = len(with_file) < len(cited)
            for i, s in with_file:
                try:
                    rec.sources[s.get("key") if isinstance(s.get("key"), str) else str(i)] = get(base / s["file"])
                except SourceMissing as exc:
                    rec.missing = True
                    problems.append(
                        Problem(
                            loaded.path,
                            loaded.line(("sources", i, "file")),
                            f"无法核对这个出处：{exc}（用 --sources 指定原文文件夹，或用 --source 指定原文文件）",
                            warning=True,
                        )
                    )
            if not rec.sources:
                continue
        recs.append(rec)
        paths[id(rec)] = loaded.path
        result.sources.update(s.name for s in rec.sources.values())
        problems.extend(_check_printed(rec, loaded.path))
        problems.extend(_check_copies(rec, loaded.path))
    result.verified = len(recs)

    groups: dict[int, tuple[Source, list[_Record]]] = {}
    for rec in recs:
        for src in {id(s): s for s in rec.sources.values()}.values():
            groups.setdefault(id(src), (src, []))[1].append(rec)
    for src, group in groups.values():
        problems.extend(_check_figures(group, src, paths))
    problems.sort()
    return result


def summary(result: Result) -> str:
    """The closing line of a verify run, in Chinese."""
    errs = errors(result.problems)
    hints = len(result.problems) - len(errs)
    tip = f"另有 {hints} 条提示（不影响通过，建议看一看）。" if hints else ""
    if not result.verified:
        return f"没有核对任何记录：{result.records} 个记录都没能对照原文（见上面的说明）。"
    done = f"对照 {len(result.sources)} 篇原文核对了 {result.verified} 个案例记录"
    if result.verified < result.records:
        done += f"（另有 {result.records - result.verified} 个未能核对）"
    if not errs:
        return f"{done}：印出的内容都与原文一致。" + tip
    files = len({p.path for p in errs})
    return f"{done}：发现 {len(errs)} 处与原文不符，涉及 {files} 个文件。请按上面的行号照原文改正。" + tip


def exit_code(result: Result) -> int:
    if errors(result.problems):
        return 1
    return 0 if result.verified else 2
