"""From an article's text to drafts: one per practice, with everything the rules could find."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .figures import Figure, Skipped, figures
from .names import Name, Quote, names, quotes
from .places import Division
from .rules import words
from .source import SourceInfo, masthead, page_sources
from .split import Practice, article_province, items, practices
from .suggest import groups, theme, topics
from .text import blocks

ACTOR_LEVELS = {
    "province": "province",
    "city": "city",
    "county": "county",
    "town": "street-town",
    "village": "community-village",
}


@dataclass
class Actor:
    name: str
    level: str
    line: int


@dataclass
class Draft:
    """One drafted practice."""

    practice: Practice
    chain: list[Division]
    source: SourceInfo
    names: list[Name] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    actor: Actor | None = None
    groups: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    theme: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def place(self) -> Division:
        return self.chain[-1]

    @property
    def lines(self) -> tuple[int, int]:
        ps = self.practice.paragraphs
        return ps[0].line, max(max(b.lines) for b in ps)


def _actor(p: Practice) -> Actor | None:
    """Who acted, when the article says so: the enterprise a practice was cut on, when it opens a
    paragraph with an action verb (货拉拉将……); else the practice's place, or a body named after it
    (…党工委), opening a clause and followed by an action verb (龙里县创新……, 朝阳区八里庄街道党工委统筹……)."""
    if p.unit is not None and p.unit_acts is not None:  # 货拉拉将……: the enterprise the practice is cut on
        return Actor(p.unit, "enterprise", p.unit_acts)
    verbs = "|".join(map(re.escape, words("actor_verbs")))
    suffixes = "|".join(map(re.escape, words("actor_suffixes")))
    ids = {id(b) for b in p.paragraphs}
    ms = [(b, m) for b, m in p.mentions if id(b) in ids and m.unit is not None]
    for i, (b, m) in enumerate(ms):
        if not m.clause_start or (i and ms[i - 1][0] is b and 0 <= m.start - ms[i - 1][1].end <= 4):
            continue  # not a clause's first name, or inside a chain
        end = m
        for nb, nm in ms[i + 1 :]:  # 北京市朝阳区八里庄街道: the chain's last name
            if nb is not b or nm.start - end.end > 4:
                break
            end = nm
        if p.place is None or not p.place.code.startswith(end.unit.code.rstrip("0")[: len(end.unit.code)]):
            continue
        rest = b.text[end.end :]
        org = re.match(rf"((?:[\u4e00-\u9fff]{{0,12}}?)(?:{suffixes}))(?=还?(?:{verbs}))", rest)
        if org and not re.search(r"书记|主任|负责人", org.group(1)):
            name = b.text[m.start : end.end] + org.group(1)
            level = (
                "enterprise" if "公司" in name else "industry-body" if "行业" in name else ACTOR_LEVELS[end.unit.level]
            )
            return Actor(name, level, b.line_at(m.start))
        if end.unit == p.place and re.match(rf"还?(?:{verbs})", rest):
            return Actor(b.text[m.start : end.end], ACTOR_LEVELS[end.unit.level], b.line_at(m.start))
    return None


def draft_text(text: str) -> list[Draft]:
    """Draft every practice of the article ``text``."""
    bl = blocks(text)
    mast = masthead(bl)
    province = article_province(bl)
    out: list[Draft] = []
    page = items(bl)
    for item, info in zip(page, page_sources(page, mast), strict=True):
        for p in practices(item, province):
            if p.place is None:
                continue
            heads = [b for b in item.header + item.blocks if b.kind == "heading"] if p.first else []
            found = figures(p.paragraphs, text, mast.year)
            body = "".join(b.text for b in p.paragraphs)
            gs = groups(body)
            d = Draft(
                p,
                p.chain,
                info,
                names=names(heads, p.paragraphs),
                figures=found.figures,
                skipped=found.skipped,
                quotes=quotes(p.paragraphs),
                actor=_actor(p),
                groups=gs,
                topics=topics(body),
                theme=theme(body, gs),
                notes=list(p.notes),
            )
            if p.unit is not None and p.parent is not None:
                d.notes.append(
                    f"原文第{p.unit_line}行起写的是“{p.unit}”的做法，按实施单位与{p.place.name}的其他段落"
                    "分开起草；如果属于同一个做法，请合并"
                )
            for form, units in p.ambiguous:
                d.notes.append(
                    f"“{form}”可能指 " + "、".join(f"{u.name}（{u.code}）" for u in units) + "，没有据此定地区"
                )
            out.append(d)
    return out
