"""The source fields of a draft: what the page prints above and around the item, and what is worked out
(marked inferred).

**Which headline an item stands under.** An item's heading lines are read from its body upwards: the
heading group nearest above the body is its own, with the bylines printed between it and the body and
after the body. A byline closes the heading group above it, so a headline (and its byline) printed
above the item's own headline — an article whose body the scan lost — is neither its title nor its
byline. Column lines (short labels such as 党建传真, 图片新闻) are never titles, and place kickers
(仁怀五马镇) never columns. In a group, the heading of the highest markdown rank is the headline (without
ranks the one nearest the body), joined with a kicker ending in "："/"——" above it ("山东省沂源县：" +
"整合优化资源 形成治理合力") or with the second line after a "——" line.

Heading lines printed after a headline's byline belong to that article — a part's subhead
("北京： …") or a line printed between byline and body — unless they make a headline of their own (a
markdown rank as high as the headline's or, without ranks, two lines: "勐海县打洛村党总支——" + "强化…").
Such a part takes the article's title, byline and column. A later item printed like a part — it opens
with a subhead "X： …", or (with markdown ranks) with a heading of a lower rank than the article's
headline and no column line above it ("## 二、强服务" under "# 党建引领聚合力"):

- right after the article's last part (no other item between) is its next part: the title is that
  headline's (printed above it in reading order); byline and column are marked inferred;
- with other items printed between it and that article (a column, another piece with its own
  headline, a photo caption), the page does not say which article it belongs to: the title, byline
  and column are left empty for the editor, with a note and a ``confirm`` entry naming the headline it
  may belong to — never guessed;
- with a byline of its own under a lower-rank heading, it is a piece of its own;
- on a page with no such article, the subhead is the item's own headline (千阳：…, a briefing).

An item with a headline of its own that opens with a label ("浙江省青田县：" + "组织动员，参与基层治理")
but prints no byline, on a page where an article is divided into such labelled parts, may be one more
part of that article or a piece of its own: its title is left for the editor the same way. With a
byline of its own ("左效强") it is its own piece. A stand-alone photo caption has no headline: its title
is left for the editor; its author is the photo credit printed in it ("王树成摄（人民视觉）").

**Printed elsewhere on the page.** A briefing's issue (第 21 期), issuer (…办公室) and date (2022 年 12 月 6
日) stand at its top. A newspaper's name is printed only in a byline such as "贵州日报天眼新闻记者", so it
is taken from there and marked inferred; otherwise it stays null. With no printed date the year is
worked out only from 去年: when the article says 去年 after the latest year it prints, the report is
from the year after (marked inferred, the reason in the notes); otherwise the date is left empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .places import find, gazetteer
from .rules import words
from .split import Item
from .text import Block

_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")
_FULL_DATE = re.compile(r"^((?:19|20)[0-9]{2})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日$")
_ISSUE = re.compile(r"^第\s*([0-9]+)\s*期$")
_ISSUER = re.compile(r"(办公室|组织部|委员会|办公厅)$")
_PAPER = re.compile(r"([\u4e00-\u9fff]{2,8}(?:日报|晚报|时报))")
_LABEL = re.compile(r"^([^\s：:，,。；;“”‘’（）()—]{1,12})[：:]\s*(.*)$")
_CREDIT = re.compile(r"[。！？!?]\s*([^。！？!?]{2,30}?(?<!拍)摄(?:[（(][^）)]{1,12}[）)])?)$")


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
    confirm: list[str] = field(default_factory=list)  # entries for the draft's confirm list


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
    lines: set[int] = field(default_factory=set)  # source lines of the masthead (issue, issuer, date)


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
        elif b.kind == "heading" and _ISSUER.search(t) and len(t) <= 20:
            out.issuer = t
        else:
            continue
        out.lines.add(b.line)
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


def _column(text: str) -> bool:
    """A short label line (党建传真, ◎聚焦): a column's name or a kicker, never a headline."""
    t = text.lstrip("◎ ").strip()
    return len(t) <= 6 and not re.search(r"[：:—、.．\s]", t)  # 二、强服务 is a numbered subhead


def _place_kicker(text: str) -> bool:
    """A short line that opens with a place name (仁怀五马镇, 汇川区毛市镇): a kicker, not a column."""
    g = gazetteer()
    return any(m.start == 0 for m in find(text, g.forms, g.max_len))


def _tidy(title: str) -> str:
    """Spaces the layout put after a separator go (昌宁县—— 扩面提质 → 昌宁县——扩面提质)."""
    return re.sub(r"(——|—|：|:)\s+", r"\1", title.strip())


def _title(hs: list[Block]) -> tuple[str, int] | None:
    """The headline of one heading group and its source line (see the module docstring), or None."""
    cands = [h for h in hs if not _column(h.text)]
    if not cands:
        return None
    ranked = [h for h in cands if 0 < h.rank < 9]
    best = min(ranked, key=lambda h: h.rank) if ranked else cands[-1]
    i = hs.index(best)
    seps = tuple(words("heading_separators"))
    if i > 0 and hs[i - 1] in cands and (hs[i - 1].text.endswith(seps) or best.text.startswith(("——", "—"))):
        return _tidy(hs[i - 1].text + best.text), hs[i - 1].line  # 山东省沂源县： + 整合优化资源 形成治理合力
    if best.text.endswith(("——", "—")) and i + 1 < len(hs):
        return _tidy(best.text + hs[i + 1].text), best.line  # 五华区推动……—— + “家的味道更浓了”
    return _tidy(best.text), best.line


def _column_of(hs: list[Block]) -> str | None:
    for h in hs:
        if _column(h.text) and not _place_kicker(h.text):
            return h.text.lstrip("◎目").strip() or None
    return None


def _subhead(hs: list[Block]) -> bool:
    """Whether the group is a lone section subhead "X： …" (a label and words after it)."""
    return len(hs) == 1 and bool((m := _LABEL.match(hs[0].text)) and m.group(2).strip())


def _rank(hs: list[Block]) -> int:
    """The highest markdown rank among a group's headings that are not column lines; 0 without ranks."""
    return min((h.rank for h in hs if 0 < h.rank < 9 and not _column(h.text)), default=0)


def _headline_of_its_own(hs: list[Block], above: list[Block]) -> bool:
    """Whether heading lines printed after another headline's byline are a headline of their own (a
    piece whose body follows, the one above having lost its body in the scan) rather than a part of the
    article above (a subhead, a line between byline and body): a markdown rank as high as the headline
    above, or, without ranks, a headline of two lines (勐海县打洛村党总支—— + 强化示范引领 聚力兴边富民)."""
    own, top = _rank(hs), _rank(above)
    if own and top:
        return own <= top
    return len([h for h in hs if not _column(h.text)]) >= 2


@dataclass
class Head:
    """What an item prints above and around its body, read by :func:`head`."""

    kind: str  # headline | section (a subhead under its own headline) | subhead (a bare "X： …") | caption | none
    title: str | None = None
    title_line: int = 0
    column: str | None = None
    bylines: list[Block] = field(default_factory=list)  # its own: under its headline, or after its body
    labelled: bool = False  # its headline or subhead opens with a label "X："
    heading: str = ""  # the heading printed right above the body, as printed
    line: int = 0  # source line of that heading (or of the item's first block)
    credit: str | None = None  # a stand-alone photo caption's credit (王树成摄（人民视觉）)
    rank: int = 0  # markdown rank of its headline (a section: of the article's headline); 0 unknown
    part_rank: int = 0  # a section: markdown rank of its own subhead; 0 unknown
    column_led: bool = False  # its heading lines open with a column line (a piece of its own)


def head(item: Item, mast: Masthead | None = None) -> Head:
    """The item's own heading lines and bylines (see the module docstring)."""
    skip = mast.lines if mast else set()
    run: list[Block] = []
    trailing: list[Block] = []
    seen_body = False
    for b in item.header + item.blocks:
        if b.kind in ("body", "caption"):
            seen_body = True
        elif seen_body:
            if b.kind == "byline":
                trailing.append(b)
        elif b.line not in skip:
            run.append(b)
    groups: list[tuple[list[Block], list[Block]]] = []  # (headings, the bylines printed under them)
    for b in run:
        if b.kind == "heading":
            if not groups or groups[-1][1]:
                groups.append(([b], []))
            else:
                groups[-1][0].append(b)
        elif b.kind == "byline":
            if not groups:
                groups.append(([], []))
            groups[-1][1].append(b)
    first = (item.header + item.blocks)[0]
    if not groups or not groups[-1][0]:
        if first.kind == "caption" and first.separate:
            m = _CREDIT.search(first.text)
            return Head("caption", line=first.line, credit=m.group(1).strip() if m else None)
        return Head("none", bylines=(groups[-1][1] if groups else []) + trailing, line=first.line)
    own, own_bylines = groups[-1]
    last = own[-1]
    above = _title(groups[-2][0]) if len(groups) > 1 else None
    rank = _rank(own)
    led = _column(own[0].text) and not _place_kicker(own[0].text)
    if above is not None and not _headline_of_its_own(own, groups[-2][0]):
        # 北京： …, or a line between byline and body: printed under the article's headline and byline
        return Head(
            "section",
            title=above[0],
            title_line=above[1],
            column=_column_of(groups[-2][0]),
            bylines=groups[-2][1] + own_bylines + trailing,
            labelled=_subhead(own),
            heading=last.text,
            line=last.line,
            rank=_rank(groups[-2][0]),
            part_rank=rank,
        )
    if _subhead(own):
        return Head(
            "subhead",
            title=_tidy(last.text),
            title_line=last.line,
            bylines=own_bylines + trailing,
            labelled=True,
            heading=last.text,
            line=last.line,
            rank=rank,
        )
    found = _title(own)
    return Head(
        "headline",
        title=found[0] if found else None,
        title_line=found[1] if found else last.line,
        column=_column_of(own),
        bylines=own_bylines + trailing,
        labelled=bool(found and _LABEL.match(found[0])),
        heading=last.text,
        line=last.line,
        rank=rank,
        column_led=led,
    )


def _undecided(info: SourceInfo, h: Head, feature: Head, between: tuple[int, int] | None) -> None:
    """Leave title, byline and column to the editor: the page does not say which article the item is in."""
    where = (
        f"两者之间隔着别的文章或图片（第{between[0]}–{between[1]}行）" if between else "本条紧接其后，但印有自己的标题"
    )
    info.notes.append(
        f"本条印在“{h.title if h.kind == 'headline' else h.heading}”（第{h.title_line or h.line}行）下，没有自己的署名。"
        f"同版“{feature.title}”（第{feature.title_line}行）一文分成几个带小标题的部分（如“{feature.heading}”），{where}；"
        "本条是该文的一部分还是单独一篇，版面文字看不出，标题、署名、栏目留待核对原版后填写"
    )
    info.confirm.append(
        f"sources[0].title：没有起草——本条可能属于“{(feature.title or '')[:60]}”，也可能是单独一篇："
        "请对照原版填写它所属报道的标题（署名、栏目同样）"
    )


def _lines(item: Item) -> tuple[int, int]:
    bs = item.header + item.blocks
    return bs[0].line, max(max(b.lines or [b.line]) for b in bs)


def _part(h: Head, feature: Head) -> bool:
    """Whether ``h`` is printed like a part of ``feature``: its item opens with a subhead "X： …", or
    with a heading of a lower markdown rank than the article's headline and no column line."""
    lower = bool(h.rank and feature.rank and h.rank > feature.rank)
    return h.kind == "subhead" or (h.kind == "headline" and lower and not h.column_led)


def page_sources(items: list[Item], mast: Masthead) -> list[SourceInfo]:
    """The source fields of every item of one page, in order (see the module docstring)."""
    out: list[SourceInfo] = []
    feature: Head | None = None  # the last article printed in parts under subheads ("北京： …")
    last_part = -1  # index of the last item that is one of its parts
    for i, item in enumerate(items):
        h = head(item, mast)
        info = SourceInfo()
        bylines = h.bylines
        undecided = False
        if h.kind == "section":
            info.title, info.column = h.title, h.column
            if h.labelled or (h.part_rank and h.rank and h.part_rank > h.rank):  # not a stray line
                feature, last_part = h, i
        elif feature is not None and _part(h, feature) and last_part == i - 1:
            info.title = feature.title  # the article's next part, printed right after its last one
            last_part = i
            if not bylines and feature.bylines:
                bylines = feature.bylines
                info.inferred.append("author")
                info.notes.append("署名印在本报道前面的部分之上，据版面推断")
            if feature.column:
                info.column = feature.column
                info.inferred.append("column")
        elif feature is not None and (
            h.kind == "subhead" or (not bylines and not h.column_led and (_part(h, feature) or h.labelled))
        ):
            between = (_lines(items[last_part + 1])[0], _lines(items[i - 1])[1]) if last_part < i - 1 else None
            _undecided(info, h, feature, between)
            bylines = []
            undecided = True
        elif h.kind in ("subhead", "headline"):
            info.title, info.column = h.title, h.column
        elif h.kind == "caption":
            info.author = h.credit
            info.notes.append(f"第{h.line}行是单独的图片说明，版面文字看不出它配的是哪篇报道，标题没有起草")
            info.confirm.append("sources[0].title：图片说明没有自己的标题——请对照原版填写它所配报道的标题")
        if info.title is None and h.kind in ("headline", "none") and not undecided:
            info.notes.append("没有找到本条印出的标题，标题没有起草")
            info.confirm.append("sources[0].title：没有找到印出的标题——请照原版填写")
        info.author = _author(bylines) or info.author
        _page_fields(info, mast)
        out.append(info)
    return out


def _page_fields(info: SourceInfo, mast: Masthead) -> None:
    """Publication, a briefing's issue and issuer, and the date: printed once for the whole page."""
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


def source_info(item: Item, mast: Masthead) -> SourceInfo:
    """The source fields of ``item`` read on its own (no other item of the page around it)."""
    return page_sources([item], mast)[0]
