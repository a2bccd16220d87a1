"""What the listing, region and index pages show beyond the list itself.

- the order of a region page (the unit's own cases first, then the rest newest first);
- the county count table on a province's page;
- the other cases in the same county, city and province (so a page with one case is no dead end);
- the measures that carry a topic, for each case on that topic's page;
- the newest cases for the home page.

Nothing here renders HTML: the templates do (casebook/templates/region.md.j2, _macros.j2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .index import Catalog, RegionNode
from .model import Case, Place

NEARBY_LIMIT = 3  # other cases listed per enclosing unit on a region page
NEARBY_LEVELS = ("county", "city", "province")  # enclosing units whose other cases a region page lists
NEARBY_UNITS = 2  # enclosing units listed at most (the nearest ones with other cases)
EXCERPT = 24  # characters of a nameless measure's text shown on a topic page


def _nodes(catalog: Catalog) -> dict[str, RegionNode]:
    """Every region node by its code (computed once per catalog)."""
    found = catalog.__dict__.get("_region_nodes")
    if found is None:
        found = {}
        stack = list(catalog.regions.values())
        while stack:
            node = stack.pop()
            found[node.place.code] = node
            stack.extend(node.children.values())
        catalog.__dict__["_region_nodes"] = found
    return found


def region_cases(catalog: Catalog, node: RegionNode) -> list[Case]:
    """The cases of a region page: those about the unit as a whole first (a province-wide practice on
    the province's page), then those of the units below it; each part newest first (listing order)."""
    memo = catalog.__dict__.setdefault("_region_cases", {})
    code = node.place.code
    hit = memo.get(code)
    if hit is None:
        own = catalog.in_listing_order(node.cases)
        below = catalog.in_listing_order([c for child in node.children.values() for c in child.all_cases()])
        hit = memo[code] = own + below
    return hit


@dataclass
class Nearby:
    """Other cases in a unit enclosing a region page's unit, beyond those already on the page."""

    place: Place
    total: int  # every case in the enclosing unit
    cases: list[Case]  # up to NEARBY_LIMIT of the others, newest first


def nearby(catalog: Catalog, node: RegionNode, trail: list[Place]) -> list[Nearby]:
    """For a unit below the province: up to :data:`NEARBY_LIMIT` other cases in the nearest
    :data:`NEARBY_UNITS` enclosing counties, cities or provinces that have any, each list leaving
    out the cases of the unit inside it. ``trail`` is the chain of places from the province down
    to ``node``."""
    nodes = _nodes(catalog)
    inner = _ids(catalog, node)
    out: list[Nearby] = []
    for place in reversed(trail[:-1]):
        if len(out) == NEARBY_UNITS:
            break
        if place.level not in NEARBY_LEVELS or place.code not in nodes:
            continue
        outer = nodes[place.code]
        everything = region_cases(catalog, outer)  # memoised (RegionNode.count walks the subtree)
        others = []
        for c in everything:
            if c.id not in inner:
                others.append(c)
                if len(others) == NEARBY_LIMIT:
                    break
        if others:
            out.append(Nearby(place, len(everything), others))
        inner = _ids(catalog, outer)
    return out


def _ids(catalog: Catalog, node: RegionNode) -> frozenset[str]:
    """The ids of a unit's cases (computed once per unit)."""
    memo = catalog.__dict__.setdefault("_region_ids", {})
    hit = memo.get(node.place.code)
    if hit is None:
        hit = memo[node.place.code] = frozenset(c.id for c in region_cases(catalog, node))
    return hit


@dataclass
class CountyGroup:
    """The rows of one city (or of the counties directly under the province: ``city`` is None)."""

    city: Place | None
    own: int = 0  # cases about the city as a whole (市本级)
    counties: list[tuple[Place, int]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.counties) + (1 if self.own else 0)


@dataclass
class CountyTable:
    """A province's cases counted by county: ``own`` (省本级) + every group's rows = ``total``."""

    own: int
    groups: list[CountyGroup]
    total: int

    @property
    def has_cities(self) -> bool:
        return any(g.city is not None for g in self.groups)


def county_table(node: RegionNode) -> CountyTable:
    """The county count table of a province's page (counties with cases, by city, in code order).

    A case below a county (a town, a village) counts for its county; a case about a city as a whole
    is counted on the city's own row, a province-wide case on the province's."""
    groups: list[CountyGroup] = []
    direct = CountyGroup(None)
    for child in node.sorted_children():
        if child.place.level == "city":
            group = CountyGroup(child.place, own=len(child.cases))
            group.counties = [(g.place, g.count) for g in child.sorted_children()]
            groups.append(group)
        else:  # a county directly under the province (a municipality's district, 省直辖县)
            direct.counties.append((child.place, child.count))
    if direct.counties:
        groups.append(direct)
    groups = [g for g in groups if g.rows]
    return CountyTable(len(node.cases), groups, node.count)


def topic_measures(case: Case, topic: str) -> list[int]:
    """The indices of a case's measures that carry ``topic``."""
    return [i for i, m in enumerate(case.measures) if m.topic == topic]


def excerpt(text: str, size: int = EXCERPT) -> str:
    """The start of a measure's text, for a measure without a name."""
    return text if len(text) <= size else text[:size].rstrip("，。；、,.; ") + "…"


def newest(catalog: Catalog, n: int = 10) -> list[Case]:
    """The ``n`` cases added last: newest date added first; among cases added the same day, the
    practice reported (or started) most recently first, then listing order."""
    position = catalog.position

    def key(c: Case) -> tuple:
        return (_desc(c.added), _desc(c.reported or c.started or ""), position[c.id])

    return sorted(catalog.cases, key=key)[:n]


def _desc(date: str) -> tuple[int, ...]:
    """A sort key putting later dates (2022-12-06 > 2022-12 > 2022) first."""
    return tuple(-int(p) for p in date.split("-") if p) + (1,)
