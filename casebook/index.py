"""Cross-indexes over the cases: region tree, vocabularies, model kinds, years, sources, related cases."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from pypinyin import Style, lazy_pinyin

from .model import Case, Place, Source
from .vocab import vocabulary

RELATED_LIMIT = 6
_CANDIDATE_CAP = 200


@cache
def _char_key(ch: str) -> str:
    if ch < "\u3400":
        return ch.lower()
    return "".join(lazy_pinyin(ch, style=Style.TONE3)) or ch


def pinyin_key(text: str) -> tuple[str, ...]:
    """Sort key that orders Chinese text by pinyin (then by the characters themselves)."""
    return (*(_char_key(c) for c in text), "\x00", text)


@dataclass
class RegionNode:
    place: Place
    children: dict[str, RegionNode] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)  # cases whose most specific place is this unit

    def all_cases(self) -> list[Case]:
        out = list(self.cases)
        for child in self.children.values():
            out.extend(child.all_cases())
        return out

    @property
    def count(self) -> int:
        return len(self.cases) + sum(c.count for c in self.children.values())

    def sorted_children(self) -> list[RegionNode]:
        return [self.children[k] for k in sorted(self.children)]


def model_kinds(case: Case) -> tuple[str, ...]:
    """Kinds of model (vocab/model-kinds.yaml) whose keywords occur in the model's name, parts or measures."""
    text = " ".join([case.model_name, *case.model_parts, *(m.name or "" for m in case.measures)])
    return tuple(t.slug for t in vocabulary("model-kinds").terms if any(k in text for k in t.extra["keywords"]))


@cache
def _title_key(title: str) -> tuple[str, ...]:
    return pinyin_key(title)


def listing_order(cases: list[Case]) -> list[Case]:
    """Newest first (year reported), then by pinyin of the title."""
    return sorted(cases, key=lambda c: (-int(c.year), _title_key(c.title), c.id))


@dataclass
class Catalog:
    """Every index the site shows, computed once from the cases."""

    cases: list[Case]
    all_records: list[Case]
    by_id: dict[str, Case]
    regions: dict[str, RegionNode]
    by_group: dict[str, list[Case]]
    by_topic: dict[str, list[Case]]
    by_theme: dict[str, list[Case]]
    by_kind: dict[str, list[Case]]
    by_year: dict[str, list[Case]]
    by_source: dict[str, list[Case]]
    sources: dict[str, Source]
    kinds: dict[str, tuple[str, ...]]
    related: dict[str, list[tuple[Case, str]]]
    position: dict[str, int] = field(default_factory=dict)  # case id → place in :func:`listing_order`
    by_actor_level: dict[str, list[Case]] = field(default_factory=dict)  # actor level → cases

    def in_listing_order(self, cases: list[Case]) -> list[Case]:
        """``listing_order(cases)`` for published cases, by their precomputed places."""
        return _by_position(cases, self.position)

    @property
    def newest(self) -> list[Case]:
        """Newest date added first (casebook.listings.newest says how ties go)."""
        from .listings import newest

        return newest(self, len(self.cases))

    def stats(self) -> dict[str, int]:
        counties = {p.code for c in self.cases for p in c.region if p.level == "county"}
        groups = {g for c in self.cases for g in c.groups}
        return {
            "cases": len(self.cases),
            "provinces": len(self.regions),
            "counties": len(counties),
            "groups": len(groups),
            "figures": sum(len(c.numbers) for c in self.cases),
        }


def _by_position(cases: list[Case], position: dict[str, int]) -> list[Case]:
    return sorted(cases, key=lambda c: position[c.id])


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n.children.values())


def _related(cases: list[Case], kinds: dict[str, tuple[str, ...]]) -> dict[str, list]:
    """Explicit relations first, then cases sharing model kinds, region, topics or groups, best first.

    ``cases`` are the published cases in id order; a case is known here by its place in that list,
    so ties (same score, same year) go to the smaller id, and a relation to a case not in it is
    left out."""
    postings: dict[tuple, list[int]] = defaultdict(list)

    def features(c: Case) -> list[tuple]:
        f: list[tuple] = [("kind", k) for k in kinds[c.id]]
        f += [("place", p.code) for p in c.region]
        f += [("topic", t) for t in c.topics] + [("group", g) for g in c.groups]
        return f

    feats_of = [features(c) for c in cases]
    for i, feats in enumerate(feats_of):
        for feat in feats:
            postings[feat].append(i)
    weight = {"kind": 3, "place": 1, "topic": 1, "group": 1}
    place_weight = {"province": 1, "city": 1, "county": 2, "town": 2, "village": 2}
    levels = {p.code: p.level for c in cases for p in c.region}
    # Features as small integers (cheap to hash in the set intersections below), each with its
    # weight, which is the same for every case that has it (a place code has one level).
    number = {f: k for k, f in enumerate(postings)}
    wfeat = [place_weight[levels[f[1]]] if f[0] == "place" else weight[f[0]] for f in postings]
    sets_of = [frozenset(number[f] for f in feats) for feats in feats_of]
    # A candidate's rank as one integer, smallest best: higher score, then later year, then smaller id.
    top_score, top_year = sum(wfeat) + 1, max((int(c.year) for c in cases), default=0) + 1
    if len(cases) >= 1 << 24 or top_year >= 1 << 16:
        raise ValueError("too many cases or a year too large for the ranking key")
    year_part = [(top_year - int(c.year)) << 24 for c in cases]
    weigh = wfeat.__getitem__
    index_of = {c.id: i for i, c in enumerate(cases)}
    result: dict[str, list] = {}
    for i, c in enumerate(cases):
        out: list[tuple[Case, str]] = []
        seen = {i}
        for rel in c.related:
            j = index_of.get(rel.id)
            if j is not None and j not in seen:
                out.append((cases[j], rel.relation))
                seen.add(j)
        # Candidates from the rarest shared features first, so big buckets do not make this quadratic.
        feats = sorted(feats_of[i], key=lambda f: (len(postings[f]), f))
        candidates: list[int] = []
        for feat in feats:
            candidates.extend(postings[feat][: _CANDIDATE_CAP - len(candidates)])
            if len(candidates) >= _CANDIDATE_CAP:
                break
        mine = sets_of[i]
        ranks = [
            ((top_score - sum(map(weigh, sets_of[j] & mine))) << 40) | year_part[j] | j
            for j in dict.fromkeys(candidates)
            if j not in seen
        ]
        worst = (top_score - 2 + 1) << 40  # a score of at least 2
        for rank in sorted([r for r in ranks if r < worst])[: max(0, RELATED_LIMIT - len(out))]:
            out.append((cases[rank & 0xFFFFFF], "similar"))
        result[c.id] = out
    return result


def build_catalog(all_cases: list[Case], related: bool = True) -> Catalog:
    """Index ``all_cases``; withdrawn cases keep their page but are left out of every index.

    With ``related=False`` the related cases (the one costly part) are left for :func:`add_related`."""
    all_cases = sorted(all_cases, key=lambda c: c.id)
    cases = [c for c in all_cases if c.published]
    by_id = {c.id: c for c in all_cases}
    regions: dict[str, RegionNode] = {}
    for c in cases:
        level = regions
        node = None
        for place in c.region:
            node = level.setdefault(place.code, RegionNode(place))
            level = node.children
        assert node is not None
        node.cases.append(c)
    index: dict[str, dict[str, list[Case]]] = {
        k: defaultdict(list) for k in ("group", "topic", "theme", "kind", "year", "source", "actor_level")
    }
    sources: dict[str, Source] = {}
    kinds = {c.id: model_kinds(c) for c in cases}
    for c in cases:
        for g in c.groups:
            index["group"][g].append(c)
        for t in c.topics:
            index["topic"][t].append(c)
        index["theme"][c.theme].append(c)
        for k in kinds[c.id]:
            index["kind"][k].append(c)
        index["year"][c.year].append(c)
        index["actor_level"][c.actor_level].append(c)
        for s in c.sources:
            sources.setdefault(s.slug, s)
            if c not in index["source"][s.slug]:
                index["source"][s.slug].append(c)
    in_order = listing_order(cases)
    position = {c.id: i for i, c in enumerate(in_order)}
    ordered = {k: {key: _by_position(v, position) for key, v in d.items()} for k, d in index.items()}
    return Catalog(
        cases=in_order,
        all_records=all_cases,
        by_id=by_id,
        regions=dict(sorted(regions.items())),
        by_group=ordered["group"],
        by_topic=ordered["topic"],
        by_theme=ordered["theme"],
        by_kind=ordered["kind"],
        by_year=dict(sorted(ordered["year"].items(), reverse=True)),
        by_source=ordered["source"],
        sources=sources,
        kinds=kinds,
        related=_related(cases, kinds) if related else {},
        position=position,
        by_actor_level=ordered["actor_level"],
    )


def add_related(catalog: Catalog) -> None:
    """Fill in ``catalog.related`` (see ``build_catalog(..., related=False)``)."""
    published = [c for c in catalog.all_records if c.published]  # in id order, as build_catalog has them
    catalog.related = _related(published, catalog.kinds)
