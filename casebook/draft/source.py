"""The source fields of a draft: what the page prints, and what is worked out (marked inferred).

Printed: the item's headline (a "——" headline and its second line joined), the byline, a column line,
a briefing's issue (第 21 期), issuer (…办公室) and date (2022 年 12 月 6 日). A newspaper's name is
printed only in a byline such as "贵州日报天眼新闻记者", so it is taken from there and marked inferred;
otherwise it stays null. With no printed date the year is worked out only from 去年: when the article
says 去年 after the latest year it prints, the report is from the year after (marked inferred, the
reason in the notes); otherwise the date is left empty for the editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .rules import words
from .split import Item
from .text import Block

_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")
_FULL_DATE = re.compile(r"^((?:19|20)[0-9]{2})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日$")
_ISSUE = re.compile(r"^第\s*([0-9]+)\s*期$")
_PAPER = re.compile(r"([\u4e00-\u9fff]{2,8}(?:日报|晚报|时报))")


@dataclass
class SourceInfo:
    kind: str = "newspaper"
    title: str | None = None
    author: str | None = None
    publication: str | None = None
    issuer: str | None = None
    issue: str | None = None
    column: str | None = None
    date: str | None = None
    inferred: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Masthead:
    """What the page prints for every item on it: a briefing's issue, issuer and date; a newspaper's
    name printed in one of the page's bylines."""

    issue: str | None = None
    paper: str | None = None
    paper_byline: str = ""
    issuer: str | None = None
    date: str | None = None
    year: int | None = None
    year_reason: str = ""


def masthead(blocks: list[Block]) -> Masthead:
    """Issue, issuer and date printed before the first body paragraph; else the year worked out."""
    out = Masthead()
    for b in blocks:
        if b.kind == "body":
            break
        t = b.text.strip()
        if m := _ISSUE.match(t):
            out.issue = f"第{m.group(1)}期"
        elif m := _FULL_DATE.match(t):
            out.date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        elif b.kind == "heading" and re.search(r"(办公室|组织部|委员会|办公厅)$", t) and len(t) <= 20:
            out.issuer = t
    for b in blocks:
        if b.kind == "byline" and (m := _PAPER.search(b.text)):
            out.paper, out.paper_byline = m.group(1), b.text.strip("■ ").split()[0]
            break
    if out.date:
        out.year = int(out.date[:4])
        return out
    text = "\n".join(b.text for b in blocks)
    years = [(int(m.group(1)), m.end()) for m in _YEAR.finditer(text)]
    if not years:
        return out
    latest = max(y for y, _ in years)
    windows = []
    for y, at in years:
        if y == latest:
            nxt = [end for _, end in years if end > at]
            windows.append(text[at : min(nxt) if nxt else at + 400][:400])
    if any("去年" in w for w in windows):  # only a 去年 that follows the latest year says which year it is
        out.year = latest + 1
        out.year_reason = f"原文印出的最晚年份是 {latest} 年，其后写“去年”指的就是 {latest} 年"
    return out


def _author(bylines: list[Block]) -> str | None:
    parts = []
    for b in bylines:
        t = b.text.strip("■ ").strip()
        m = re.match(r"^本报讯\s*[（(](.*)[）)]$", t)
        if m:
            t = m.group(1)
        t = re.sub(r"\s*(文/图|摄影报道)$", "", t)
        t = re.sub(r"^[\u4e00-\u9fff]{2,8}(?:日报|晚报|时报)(?:天眼新闻)?记者\s*", "", t)
        t = t.strip("（）() ")
        if t and t not in parts:
            parts.append(t)
    return "；".join(parts) or None


def _title(headings: list[Block]) -> str | None:
    texts = [h.text for h in headings if not _column(h.text)]
    if not texts:
        return None
    ranked = sorted(headings, key=lambda h: h.rank)
    top = [h for h in ranked if h.rank < 9]
    if top:
        # 山东省沂源县： + 整合优化资源 形成治理合力
        best = top[0]
        i = headings.index(best)
        if i > 0 and headings[i - 1].text.endswith(tuple(words("heading_separators"))):
            return headings[i - 1].text + best.text
        return best.text
    for i, h in enumerate(headings):
        if h.text.endswith(("——", "—")) and i + 1 < len(headings):
            return h.text + headings[i + 1].text
    return max(texts, key=len)


def _column(text: str) -> bool:
    return len(text) <= 6 and not re.search(r"[：:—]", text)


def source_info(item: Item, mast: Masthead, inherited: Item | None) -> SourceInfo:
    """The source fields for the practices of ``item``."""
    info = SourceInfo()
    heads = [b for b in item.header + item.blocks if b.kind == "heading"]
    own_top = any(h.rank < 9 and h.rank > 0 and h.rank <= 1 for h in heads)
    section = heads and heads[-1].text.split()[0].endswith(tuple(words("heading_separators")))
    bylines = item.bylines
    info.title = _title(heads)
    if inherited is not None and section and not own_top:
        # a section ("深圳： …") of an article whose headline and byline stand above an earlier section
        top = [b for b in inherited.header + inherited.blocks if b.kind == "heading"]
        info.title = _title(top) or info.title
        if not bylines:
            bylines = inherited.bylines
            if bylines:
                info.inferred.append("author")
                info.notes.append("署名印在本报道前面的部分之上，据版面推断")
    info.author = _author(bylines)
    cols = [h.text.lstrip("◎目").strip() for h in heads if _column(h.text)]
    if cols:
        info.column = cols[0]
    if mast.paper:
        info.publication = mast.paper
        info.inferred.append("publication")
        info.notes.append(f"报名据同版署名“{mast.paper_byline}”推断")
    if mast.issue:
        info.kind = "briefing"
        info.issue = mast.issue
        info.issuer = mast.issuer
    if mast.date:
        info.date = mast.date
    elif mast.year:
        info.date = str(mast.year)
        info.inferred.append("date")
        info.notes.append(f"日期没有印出，年份为推断：{mast.year_reason}")
    else:
        info.notes.append("日期没有印出，也推断不出年份：请照出处补上")
    if info.publication is None and info.kind == "newspaper":
        info.notes.append("报纸名称没有印出")
    return info
