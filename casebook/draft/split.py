"""An article cut into items (separate pieces on the page) and each item into practices.

An **item** starts at a heading that follows body text or a byline (headlines, kicker lines such as
"仁怀五马镇", section headings such as "北京： …" and "千阳：…"), or at a photo caption that stands on
its own ("上图：…"). Headings with no body of their own (a column name, the page's headline and
byline) open the item that follows.

Inside an item a **practice** starts at a paragraph whose first two sentences open a clause with a
place the practice has not named yet ("朝阳区商圈多……", "对此，朝阳区八里庄街道……", "暖心服务…。在
昌平区，……", "南鲁山镇搭建起……"); a name inside a chain (北京市昌平区天通苑北街道) counts only for its
last part. Practices of one item that end up at the same place are merged.

Within one place a practice also starts where the article moves to another **acting unit**: a
paragraph that opens (after an opening quotation and a lead-in such as "目前，") with an enterprise —
a name ending in 公司/集团 printed at the start of a clause, or the short form of one printed in the
item ("货拉拉将……" beside "深圳依时货拉拉科技有限公司") — followed by an action verb or by a role that
speaks for it ("…有限公司党委副书记…介绍"; not "货拉拉司机…", a worker), once the practice before has an
actor of its own. A later paragraph that opens with a place again ("目前，深圳市各新就业群体党支部……")
goes back to the place's own practice. A paragraph just before such a cut that shares a quoted name
with the cut paragraph and none with the rest of its practice (“司机之家”) moves with it. Party and
government bodies are not units of their own here: they are their place's (深圳市委组织部,
青田县快递行业党建联盟), and a list of measures (一是/二是, short opening sentences) stays one practice.

The practice's place is the one its paragraphs name most, a name at the start of a clause or in a
heading counting twice and "全市/该县"-style references counting for the place of that level; a tie
goes to the deeper place. A unit's practice that names no place of its own is at the place of the
practice it was cut from; practices of one item are merged when place and unit are the same.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from .places import DEPTH, Division, Mention, find, gazetteer, level_mentions, main_province, resolve, within
from .rules import enabled, words
from .text import Block, sentences

_CHAIN_GAP = 4  # characters an unknown name (毛市镇) may sit between two linked names


@dataclass
class Item:
    """One piece of the page: its blocks (headings, bylines, captions, body) in order."""

    blocks: list[Block]
    header: list[Block] = field(default_factory=list)  # blocks of a bodiless group before it (headline, byline)

    @property
    def body(self) -> list[Block]:
        return [b for b in self.blocks if b.kind in ("body", "caption")]

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.header + self.blocks if b.kind == "heading"]

    @property
    def bylines(self) -> list[Block]:
        return [b for b in self.header + self.blocks if b.kind == "byline"]


@dataclass
class Practice:
    """One practice: its item, its paragraphs, the places they name and the place it is drafted at."""

    item: Item
    paragraphs: list[Block]
    mentions: list[tuple[Block, Mention]] = field(default_factory=list)
    place: Division | None = None
    chain: list[Division] = field(default_factory=list)
    ambiguous: list[tuple[str, list[Division]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first: bool = True  # the item's first practice (its headings belong to it)
    unit: str | None = None  # the enterprise acting, as printed; None: the place itself
    unit_line: int | None = None  # source line of the paragraph the unit opens
    unit_acts: int | None = None  # source line where the unit opens a paragraph with an action verb
    anchored: bool = False  # something has acted in it (a place or its unit with an action verb)
    parent: Practice | None = None  # the practice a unit's practice was cut from


def items(blocks: list[Block]) -> list[Item]:
    """The article's items (see the module docstring)."""
    groups: list[list[Block]] = []
    for b in blocks:
        cur = groups[-1] if groups else None
        has_body = cur is not None and any(x.kind in ("body", "caption") for x in cur)
        if (
            cur is None
            or (b.kind == "heading" and (has_body or cur[-1].kind == "byline"))
            or (b.kind == "caption" and b.separate)
            or (cur and cur[0].kind == "caption" and cur[0].separate)
        ):
            groups.append([b])
        else:
            cur.append(b)
    out: list[Item] = []
    pending: list[Block] = []
    for g in groups:
        if not any(x.kind in ("body", "caption") for x in g):
            pending += g
            continue
        out.append(Item(g, header=pending))
        pending = []
    return out


def _mentions(blocks: list[Block], context: list[Division], province: Division | None) -> list[tuple[Block, Mention]]:
    g = gazetteer()
    found: list[tuple[Block, Mention]] = []
    for b in blocks:
        ms = find(b.text, g.forms, g.max_len)
        resolve(ms, context, province)
        found += [(b, m) for m in ms]
    counties = list(dict.fromkeys(m.unit for _, m in found if m.unit is not None and m.unit.level == "county"))
    if counties:  # towns and villages: only under the counties the item names
        table: dict = {}
        for c in counties:
            for k, v in g.local_forms(c).items():
                table.setdefault(k, []).extend(v)
        longest = max(map(len, table), default=0)
        for b in blocks:
            own = [x for y, x in found if y is b]
            extra = [
                m
                for m in find(b.text, table, longest)
                if not any(_overlaps(m, x) and x.unit is not None and len(x.text) >= len(m.text) for x in own)
            ]
            # a town or village name wins over a short form inside it (南鲁山镇, not 鲁山县)
            found = [(y, x) for y, x in found if y is not b or not any(_overlaps(m, x) for m in extra)]
            ms = sorted([x for x in own if not any(_overlaps(m, x) for m in extra)] + extra, key=lambda x: x.start)
            for m in extra:
                m.clause_start = m.clause_start or _after_chain(m, ms)
            resolve(extra, list(context), province)
            found += [(b, m) for m in extra]
        found.sort(key=lambda bm: (blocks.index(bm[0]), bm[1].start))
    return found


def _after_chain(m: Mention, ms: list[Mention]) -> bool:
    """Whether ``m`` ends a chain of names that opens a clause (浙江省丽水市青田县石门社区)."""
    i = ms.index(m)
    while i > 0 and 0 <= ms[i].start - ms[i - 1].end <= _CHAIN_GAP and ms[i - 1].unit is not None:
        i -= 1
        if ms[i].clause_start:
            return True
    return False


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _qualifiers(mentions: list[tuple[Block, Mention]]) -> set[int]:
    """Mentions that only qualify the next one (北京市 and 昌平区 in 北京市昌平区天通苑北街道)."""
    out: set[int] = set()
    for i, (b, m) in enumerate(mentions[:-1]):
        nb, nm = mentions[i + 1]
        if (
            nb is b
            and m.unit is not None
            and nm.unit is not None
            and 0 <= nm.start - m.end <= _CHAIN_GAP
            and within(nm.unit, m.unit)
            and nm.unit != m.unit
        ):
            out.add(i)
    return out


def _openers(block: Block, mentions: list[Mention]) -> list[Mention]:
    """Resolved places that open a clause in the first two sentences of ``block`` (not a person's title:
    "左都村党支部书记鲍永海……" introduces a speaker, not a practice)."""
    limit = sum(len(s) for s in sentences(block.text)[:2])
    roles = tuple(words("roles"))
    out = []
    for m in mentions:
        if m.unit is None or m.start >= limit or not m.clause_start:
            continue
        after = re.split(r"[，,。；;：:、“”（）()]", block.text[m.end : m.end + 12])[0]
        if enabled("role-opener") and any(r in after for r in roles):
            continue
        out.append(m)
    # several places opening clauses in one paragraph (在红云街道……在龙翔街道……) are examples of the
    # practice, not a new one
    if enabled("enumeration") and len({m.unit for m in mentions if m.unit is not None and m.clause_start}) >= 3:
        return []
    return out


_NAME_CHAR = r"(?:(?![的将把在向给被对从由让与和及并])[\u4e00-\u9fffA-Za-z])"
_CLAUSE_END = "。，,；;：:！？!?“”、（）()"


@dataclass
class Opening:
    """What a paragraph opens with: an enterprise (``unit``) or a place (``place``)."""

    unit: str | None
    place: Division | None
    acting: bool  # an enterprise with an action verb or a role speaking for it; a place not owned (的) or a worker's
    acts: bool = False  # followed by an action verb (the unit is the actor)


def _alt(ws: list[str]) -> str:
    return "|".join(map(re.escape, ws))


@cache
def _lists() -> dict[str, tuple[str, ...]]:
    """The unit rule's word lists (longest first), read once."""
    return {k: tuple(words(k)) for k in ("lead_ins", "actor_verbs", "enterprise_suffixes")}


@cache
def _patterns() -> dict[str, re.Pattern]:
    """The unit rule's patterns, built once from rules.yaml."""
    return {
        "enterprise": re.compile(rf"{_NAME_CHAR}{{2,24}}?(?:{_alt(words('enterprise_suffixes'))})"),
        "acts": re.compile(rf"(?:{_alt(words('actor_adverbs'))})*(?:{_alt(words('actor_verbs'))})"),
        "worker": re.compile(rf"[\u4e00-\u9fff]{{0,4}}?(?:{_alt(words('worker_roles'))})"),
        "role": re.compile(rf"[\u4e00-\u9fff]{{0,8}}?(?:{_alt(words('unit_roles'))})"),
        "organ": re.compile(rf"(?:[\u4e00-\u9fff]{{0,12}}?(?:{_alt(words('actor_suffixes'))}))?"),
    }


def _enterprise_at(text: str, pos: int) -> str | None:
    """The enterprise name at ``pos`` (a clause start), if one is printed there: up to 公司/集团, not
    opening with an action verb (推行……公司 is not a name)."""
    m = _patterns()["enterprise"].match(text, pos)
    if m is None or m.group(0).startswith(_lists()["actor_verbs"]):
        return None
    return m.group(0)


def enterprises(blocks: list[Block]) -> list[str]:
    """Enterprise names printed at the start of a clause of ``blocks`` as the subject of an action or
    the body a role speaks for (深圳依时货拉拉科技有限公司党委书记……说); "来自快递物流公司的……" and
    "基地纳入公司化管理" are not names."""
    out: list[str] = []
    for b in blocks:
        for i in [0] + [k + 1 for k, c in enumerate(b.text) if c in _CLAUSE_END]:
            at = _skip_lead(b.text, i)
            name = _enterprise_at(b.text, at)
            rest = b.text[at + len(name) :] if name else ""
            if name and name not in out and _subject(rest):
                out.append(name)
    return out


def _subject(rest: str) -> bool:
    """Whether the text after a name makes the name a unit that acts or speaks (see :func:`_acts`)."""
    return not rest.startswith("的") and (_acts(rest) or _speaks_for(rest))


def _skip_lead(text: str, pos: int) -> int:
    """``pos`` moved past lead-ins (目前，/近日，/在) at ``pos``."""
    leads = _lists()["lead_ins"]
    for _ in range(2):
        lead = next((w for w in leads if text.startswith(w, pos)), None)
        if lead is None:
            break
        pos += len(lead)
        if text[pos : pos + 1] in ("，", ","):
            pos += 1
    return pos


def _opening_at(text: str) -> int:
    """Where a paragraph's own first clause starts: after an opening quotation (the speaker follows it:
    “……”深圳市委组织部相关负责人介绍) and after lead-ins (目前，)."""
    pos = 0
    if text.startswith("“"):
        depth = 0
        for i, c in enumerate(text):
            depth += c == "“"
            depth -= c == "”"
            if depth == 0:
                pos = i + 1
                break
    return _skip_lead(text, pos)


def _acts(rest: str) -> bool:
    """Whether ``rest`` (the text after a subject) starts with an action verb (after adverbs)."""
    return bool(_patterns()["acts"].match(rest))


def _speaks_for(rest: str) -> bool:
    """Whether ``rest`` names a role speaking for the unit before it (党委副书记…, 相关负责人…)."""
    clause = re.split(r"[，,。；;：:“”]", rest, maxsplit=1)[0]
    return not _patterns()["worker"].match(clause) and bool(_patterns()["role"].match(clause))


def _opening(block: Block, mentions: list[Mention], firms: list[str]) -> Opening | None:
    """What ``block`` opens with (see the module docstring), or None."""
    t = block.text
    pos = _opening_at(t)
    name = _enterprise_at(t, pos)
    at_place = any(x.start == pos and x.unit is not None for x in mentions)
    if name is None and not at_place:
        # the short form of an enterprise printed in full in the item (货拉拉 ← 深圳依时货拉拉科技有限公司)
        verbs = _lists()["actor_verbs"]
        suffixes = _lists()["enterprise_suffixes"]
        for n in range(min(10, len(t) - pos), 1, -1):
            s = t[pos : pos + n]
            if (
                re.fullmatch(rf"{_NAME_CHAR}+", s)
                and any(s in f for f in firms)
                and not any(s in x for x in suffixes)
                and not s.startswith(verbs)
            ):
                name = s
                break
    if name is not None:
        rest = t[pos + len(name) :]
        return Opening(name, None, _subject(rest), _acts(rest))
    place = next((x for x in mentions if x.start == pos and x.unit is not None), None)
    if place is None:
        return None
    end = place.end
    for x in mentions:  # 深圳市福田区……: the chain's last name
        if x.unit is not None and 0 <= x.start - end <= _CHAIN_GAP and x.start >= end:
            end = x.end
    rest = t[end:]
    return Opening(None, place.unit, not rest.startswith("的") and not _patterns()["worker"].match(rest))


def _place_acts(block: Block, mentions: list[Mention]) -> bool:
    """Whether a place (or a body named after it: …党支部) opens a clause of ``block`` and acts
    (深圳市紧扣……, 龙里县创新……)."""
    for m in mentions:
        if m.unit is not None and m.clause_start:
            rest = block.text[m.end :]
            if _acts(rest) or _acts(rest[_patterns()["organ"].match(rest).end() :]):
                return True
    return False


def _same_unit(a: str | None, b: str | None) -> bool:
    return a == b or (a is not None and b is not None and (a in b or b in a))


def _names(text: str) -> set[str]:
    """Short quoted names in ``text`` (“司机之家”, ‘司机之家’)."""
    return set(re.findall(r"[“‘]([^“”‘’，,。、；;！？!?：:]{2,10})[”’]", text))


def practices(item: Item, province: Division | None) -> list[Practice]:
    """The item's practices with their places (see the module docstring)."""
    head = [b for b in item.header + item.blocks if b.kind in ("heading", "byline")]
    body = item.body
    context: list[Division] = []
    found = _mentions(head + body, context, province)
    qual = _qualifiers(found)
    counted = [(b, m) for i, (b, m) in enumerate(found) if i not in qual]
    by_block: dict[int, list[Mention]] = {}
    for b, m in counted:
        by_block.setdefault(id(b), []).append(m)

    out: list[Practice] = []
    cur = Practice(item, [], first=True)
    named: set[str] = set()
    skip = tuple(words("not_practice"))
    body = [b for b in body if not b.text.startswith(skip) and not b.text.endswith(("——编者", "—编者"))]
    if not body:
        return []
    continuers = tuple(words("continuers"))
    units = enabled("unit-openers")
    firms = enterprises(head + body) if units else []
    all_by_block: dict[int, list[Mention]] = {}
    for b, m in found:
        all_by_block.setdefault(id(b), []).append(m)
    opened: set[int] = set()  # paragraphs that open with a unit or a place
    for b in body:
        ms = by_block.get(id(b), [])
        opener = next((m for m in _openers(b, ms) if m.unit.code not in named), None)
        goes_on = enabled("continuers") and b.text.startswith(continuers)
        if goes_on:  # 对此，…… goes on with the practice before it
            opener = None
        op = _opening(b, all_by_block.get(id(b), []), firms) if units and b.kind == "body" else None
        if op is not None and op.acting:
            opened.add(id(b))
        if opener is not None and op is not None and op.unit is not None:
            opener = None  # 深圳市公路客货运输服务中心有限公司: an enterprise, not its place
        if opener is not None and cur.paragraphs and b.kind == "body":
            out.append(cur)
            cur = Practice(item, [], first=False)
            named = set()
        elif op is not None and op.acting and not goes_on:
            if op.unit is not None and not _same_unit(op.unit, cur.unit):
                if cur.paragraphs and cur.anchored:  # another enterprise acts: another practice
                    prev, cur = cur, Practice(item, [], first=False, unit=op.unit, parent=cur)
                    out.append(prev)
                    named = set()
                    _move_lede(prev, cur, b, opened)
                else:  # what came before leads into the enterprise's practice
                    cur.unit = op.unit
                cur.unit_line = b.line_at(_opening_at(b.text))
            elif op.unit is None and cur.unit is not None and cur.paragraphs:  # back to the place itself
                out.append(cur)
                cur = Practice(item, [], first=False, parent=cur)
                named = set()
        cur.paragraphs.append(b)
        named.update(m.unit.code for m in ms if m.unit is not None)
        if op is not None and op.unit is not None and _same_unit(op.unit, cur.unit) and op.acting:
            cur.anchored = True
            if op.acts and cur.unit_acts is None:
                cur.unit_acts = b.line_at(_opening_at(b.text))
        elif cur.unit is None and _place_acts(b, all_by_block.get(id(b), [])):
            cur.anchored = True
    out.append(cur)

    for p in out:
        blocks = (head if p.first else []) + p.paragraphs
        ids = {id(b) for b in blocks}
        p.mentions = [(b, m) for b, m in found if id(b) in ids]
        _place(p, [(b, m) for b, m in counted if id(b) in ids], province)
        if p.place is None and p.unit is not None and p.parent is not None and p.parent.place is not None:
            p.place, p.chain = p.parent.place, list(p.parent.chain)  # 货拉拉将……: at the place it was cut from

    # a lede that names its place only in passing (位于龙里县谷脚镇的……) belongs to the practice after
    # it when that one's place contains it
    kept: list[Practice] = []
    for p in out:
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.place is not None
            and p.place is not None
            and within(prev.place, p.place)
            and enabled("lede-merge")
            and not _opens(prev)
            and prev.unit == p.unit
        ):
            p.paragraphs = prev.paragraphs + p.paragraphs
            p.mentions = prev.mentions + p.mentions
            p.first = prev.first
            kept[-1] = p
            continue
        kept.append(p)
    out = kept

    for p in out:
        _drill(p)

    merged: list[Practice] = []
    for p in out:
        twin = next(
            (
                q
                for q in merged
                if q.place is not None and p.place is not None and q.place == p.place and _same_unit(q.unit, p.unit)
            ),
            None,
        )
        if twin is None:
            merged.append(p)
        else:
            twin.paragraphs += p.paragraphs
            twin.mentions += p.mentions
    return merged


def _move_lede(prev: Practice, cur: Practice, block: Block, opened: set[int]) -> None:
    """Paragraphs at the end of ``prev`` that open with no unit or place of their own and share a quoted
    name with ``block`` (the paragraph opening ``cur``) and none with the rest of ``prev`` move to ``cur``
    (出租车司机……“司机之家”…… before “…有限公司党委副书记介绍，‘司机之家’……”)."""
    if not enabled("shared-name-lede"):
        return
    ahead = _names(block.text)
    while len(prev.paragraphs) > 1:
        q = prev.paragraphs[-1]
        shared = _names(q.text) & ahead
        rest = set().union(*(_names(x.text) for x in prev.paragraphs[:-1]))
        if id(q) in opened or q.kind != "body" or not shared or _names(q.text) & rest:
            break
        cur.paragraphs.insert(0, prev.paragraphs.pop())
        ahead |= _names(q.text)


def _drill(p: Practice) -> None:
    """A town practice whose first paragraph names one village of the town, named again later, is
    drafted at that village (走进仁怀市五马镇三元村……五马镇三元村土壤肥沃……)."""
    if not enabled("drill") or p.place is None or p.place.level != "town" or not p.paragraphs:
        return
    ids = {id(b) for b in p.paragraphs}
    villages = Counter(
        m.unit for b, m in p.mentions if id(b) in ids and m.unit is not None and m.unit.level == "village"
    )
    inside = [v for v in villages if within(v, p.place)]
    lede = {m.unit for b, m in p.mentions if b is p.paragraphs[0] and m.unit is not None}
    if len(inside) == 1 and villages[inside[0]] >= 2 and inside[0] in lede:
        p.place = inside[0]
        p.chain = gazetteer().chain(p.place)


def _opens(p: Practice) -> bool:
    """Whether the practice's place opens a clause somewhere in its own paragraphs."""
    ids = {id(b) for b in p.paragraphs}
    return any(m.unit == p.place and m.clause_start for b, m in p.mentions if id(b) in ids)


def _place(p: Practice, counted: list[tuple[Block, Mention]], province: Division | None) -> None:
    score: Counter[Division] = Counter()
    for b, m in counted:
        if m.unit is not None:
            weight = (
                3
                if b.kind == "byline" and enabled("byline-weight")
                else 2
                if (m.clause_start or b.kind in ("heading", "byline"))
                else 1
            )
            if enabled("province-short-half") and m.unit.level == "province" and all(f.short for f in m.forms):
                weight /= 2  # 贵州快递物流集聚区: a province's short name is often an adjective
            score[m.unit] += weight
        elif m.ambiguous and (m.text, m.ambiguous) not in p.ambiguous:
            p.ambiguous.append((m.text, m.ambiguous))
    text = "".join(b.text for b in p.paragraphs)
    levels = level_mentions(text)
    for level, n in levels.items():
        if not n:
            continue
        best = max((u for u in score if u.level == level), key=lambda u: score[u], default=None)
        if best is not None:
            score[best] += n
    if not score and province is not None and levels.get("province"):
        p.place = province
        p.notes.append(f"原文只写“省直”“省委”等，没有写省名：地区按全文所在的省（{province.name}）推断，请核对")
    elif score:
        p.place = max(score, key=lambda u: (score[u], DEPTH[u.level]))
    if p.place is not None:
        p.chain = gazetteer().chain(p.place)


def article_province(blocks: list[Block]) -> Division | None:
    """The article's main province (see :func:`places.main_province`)."""
    g = gazetteer()
    ms: list[Mention] = []
    for b in blocks:
        ms += find(b.text, g.forms, g.max_len)
    return main_province(ms)


def split(blocks: list[Block]) -> list[Practice]:
    """Every practice of the article, in order; items that name no place give none."""
    province = article_province(blocks)
    out: list[Practice] = []
    for item in items(blocks):
        out += [p for p in practices(item, province) if p.place is not None]
    return out


__all__ = ["Item", "Practice", "items", "practices", "split", "words"]
