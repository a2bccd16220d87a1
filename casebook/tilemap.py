"""The province tile-grid map: one square per province-level unit, in its rough geographic place.

The layout is data (``casebook/data/tilegrid.yaml``): all 34 province-level units, 台湾, 香港 and 澳门
included, each shown whether or not the archive has a case there. The squares carry their counts as
text; the shade only repeats the count. Not a boundary map: a China boundary map published online
must follow the official standard map, so the site draws none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from .index import Catalog
from .paths import DATA

SHADES = 4  # shade steps for squares with cases (0 cases: no shade)


@dataclass(frozen=True)
class Square:
    code: str
    name: str  # full Chinese name (贵州省)
    short: str  # the square's Chinese label (贵州)
    en: str  # English short name
    abbr: str  # ISO 3166-2:CN code (GZ), for English squares at phone width
    row: int
    col: int


@dataclass(frozen=True)
class Tile:
    square: Square
    count: int
    shade: int  # 0 (no case) … SHADES

    @property
    def linked(self) -> bool:
        """A square links to its region page, which exists only when the unit has cases."""
        return self.count > 0

    def label(self, lang: str) -> str:
        return self.square.short if lang == "zh" else self.square.en


@cache
def grid() -> tuple[Square, ...]:
    """The squares in reading order (row by row, west to east)."""
    rows = yaml.safe_load((DATA / "tilegrid.yaml").read_text(encoding="utf-8"))
    squares = [Square(**{k: (str(v) if k not in ("row", "col") else int(v)) for k, v in r.items()}) for r in rows]
    return tuple(sorted(squares, key=lambda s: (s.row, s.col)))


def tiles(catalog: Catalog) -> list[Tile]:
    """Every square with its number of cases and its shade (steps of the largest count)."""
    counts = {code: node.count for code, node in catalog.regions.items()}
    top = max(counts.values(), default=0)
    out = []
    for sq in grid():
        n = counts.get(sq.code, 0)
        shade = 0 if n == 0 else min(SHADES, 1 + (SHADES * (n - 1)) // top)
        out.append(Tile(sq, n, shade))
    return out


def rows() -> int:
    return max(s.row for s in grid()) + 1


def cols() -> int:
    return max(s.col for s in grid()) + 1
