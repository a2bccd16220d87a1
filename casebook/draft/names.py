"""Printed names, listed measures and direct quotes of a practice.

Names are candidates for the editor, always as printed: a quoted name (“暖蜂行动”), a quoted name with
the noun it names (“三家”工程, “六无”村创建, “青蜂侠”快递物流行业党建联盟), the X of "以X为抓手", a name
with a number in it (五个体系, 六项工程), a short sentence that opens a paragraph (建立联系服务人才库。),
the items of 一是/二是 and of "通过A、B、C等". Quotes are direct speech whose speaker is named by a role
(负责人, 党委书记, 快递员 …): the speaker is the role as printed, never the person's name after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import enabled, rules, words
from .text import Block, sentences

MAX_QUOTE = 100  # the schema's limit for a quote


@dataclass
class Name:
    text: str
    line: int
    how: str  # heading | frame | numbered | named (“三家”工程) | quoted | lead | list
    quoted: bool = False


@dataclass
class Quote:
    text: str
    speaker: str
    line: int


_PUNCT = "，,。；;：:、！？!?（）()《》"


def _alt(ws) -> str:
    return "|".join(re.escape(w) for w in sorted(set(ws), key=len, reverse=True))


def _quoted(text: str) -> list[tuple[int, int]]:
    out, stack = [], []
    for i, c in enumerate(text):
        if c == "“":
            stack.append(i)
        elif c == "”" and stack:
            s = stack.pop()
            if not stack:
                out.append((s, i + 1))
    return out


def _clean(name: str) -> str:
    return name.strip(" ，,。；;：:、")


def names(headings: list[Block], paragraphs: list[Block]) -> list[Name]:
    """Candidate printed names, the likeliest model name first, each once."""
    suffix = _alt(words("name_suffixes"))
    heads = _alt(words("name_heads"))
    out: list[Name] = []

    def add(text: str, line: int, how: str) -> None:
        text = _clean(text)
        if 2 <= len(text) <= 40 and not any(n.text == text for n in out):
            out.append(Name(text, line, how, quoted="“" in text))

    for b in headings:
        for s, e in _quoted(b.text):
            m = re.match(rf"(?:[^{_PUNCT}“”\s]{{0,10}}?)(?:{suffix})", b.text[e:])
            add(b.text[s:e] + (m.group(0) if m else ""), b.line, "heading")
    for b in paragraphs:
        t = b.text
        framed: list[tuple[int, int]] = []
        frames = sorted(rules()["name_frames"], key=lambda f: -len(f[0])) if enabled("name-frames") else []
        for open_, close in frames:  # 以实施X为抓手 before 以X为抓手
            for m in re.finditer(rf"{re.escape(open_)}([^。；;，,]{{2,24}}?){re.escape(close)}", t):
                if not any(a < m.end() and m.start() < z for a, z in framed):
                    framed.append(m.span())
                    add(m.group(1), b.line_at(m.start()), "frame")
        for m in re.finditer(rf"[两三四五六七八九十]+(?:个|项|大|堂|类)?(?:{heads})", t):
            add(m.group(0), b.line_at(m.start()), "numbered")
        for m in re.finditer(rf"(?:{_alt(words('build_verbs'))})([\u4e00-\u9fff]{{0,6}}?(?:{suffix}))", t):
            add(m.group(1), b.line_at(m.start()), "built")
        for s, e in _quoted(t):
            inner = t[s + 1 : e - 1]
            if len(inner) > 25 or re.search(r"[。！？!?…]", inner):
                continue
            m = re.match(rf"[^{_PUNCT}“”\s]{{0,12}}?(?:{suffix})", t[e:])
            if m:
                add(t[s:e] + m.group(0), b.line_at(s), "named")
            pre = re.search(r"([抓以建促凝用])$", t[max(0, s - 1) : s])
            pair = re.match(r"[\u4e00-\u9fff]“[^“”]{1,8}”", t[e:])
            if pre and pair and enabled("verb-pair"):  # 抓“四建”提“四力”
                add(t[s - 1 : e] + pair.group(0), b.line_at(s), "quoted")
            add(t[s:e], b.line_at(s), "quoted")
    for b in paragraphs:
        for n in measures(b):
            add(n.text, n.line, n.how)
    order = {"heading": 0, "frame": 1, "numbered": 2, "named": 3, "quoted": 4, "built": 5, "lead": 6, "list": 7}
    return sorted(out, key=lambda n: order[n.how])


def measures(block: Block) -> list[Name]:
    """Listed measures in ``block``: a short opening sentence, 一是/二是 items, 通过A、B、C items."""
    out: list[Name] = []
    t = block.text
    first = sentences(t)[:1]
    if (
        first
        and len(first[0]) <= 17
        and first[0].endswith("。")
        and len(t) > len(first[0]) + 10
        and not first[0].startswith("“")
    ):
        out.append(Name(first[0][:-1], block.line, "lead"))
    marks = _alt(words("list_marks"))
    for m in re.finditer(rf"(?:^|[。；;，,])(?:{marks})([^。；;，,]{{2,24}})[。；;，,]", t):
        out.append(Name(m.group(1), block.line_at(m.start()), "list"))
    listed = list(re.finditer(r"通过([^。；;]{4,80}?)等(?:举措|方式|形式|措施|活动)", t))
    for m in listed or re.finditer(r"通过([^。；;]{4,80}?)(?:，|,|。)", t):
        items = [i for i in re.split(r"[、，,]", m.group(1)) if 2 <= len(i) <= 20]
        if len(items) >= 2:
            out += [
                Name(re.sub(r"^(?:实施|建立|推行|开展|上好|选派)", "", i), block.line_at(m.start()), "list")
                for i in items
            ]
    return out


def quotes(paragraphs: list[Block]) -> list[Quote]:
    """Direct quotes whose speaker the article names by role."""
    verbs = _alt(words("speech_verbs"))
    roles = words("roles")
    out: list[Quote] = []
    for b in paragraphs:
        t = b.text
        for s, e in _quoted(t):
            inner = t[s + 1 : e - 1].strip()
            if len(inner) < 8 or not re.search(r"[。！？!?，,]", inner):
                continue
            speaker = None
            m = re.match(rf"([^“”。！？!?；;]{{2,40}}?)(?:{verbs})", t[e:])
            if m:
                speaker = _role(m.group(1), roles)
            if speaker is None:  # ”龙里县交通运输局副局长刘延强每周都会来……: a role and a name right after
                m = re.match(rf"([^“”，,。！？!?；;：:]{{2,24}}?(?:{_alt(roles)}))[\u4e00-\u9fff]{{2,3}}", t[e:])
                if m and not re.match(r"(?:不久前|近日|日前|今年|去年|目前)", m.group(1)):
                    speaker = _role(m.group(1), roles)
            if speaker is None:
                m = re.search(rf"([^“”。！？!?；;，,]{{2,40}}?)(?:{verbs})[：:]?$", t[max(0, s - 42) : s])
                if m:
                    speaker = _role(m.group(1), roles)
            if speaker is None:
                continue
            text = _fit(inner)
            if text:
                out.append(Quote(text, speaker, b.line_at(s)))
    return out


def _role(segment: str, roles: list[str]) -> str | None:
    """The speaker as the role printed before the person's name: 龙里县交通运输局副局长刘延强 →
    龙里县交通运输局副局长; 北京市委组织部相关负责人 stays as it is."""
    segment = re.split(r"[，,]", segment)[-1].strip()
    best = -1
    for r in roles:
        at = segment.rfind(r)
        if at >= 0:
            best = max(best, at + len(r))
    if best < 2:
        return None
    rest = segment[best:]
    if rest and not re.fullmatch(r"[\u4e00-\u9fff]{0,3}(?:高兴地|开心地|明显感受到|动情地|坦言)?", rest):
        return None
    return segment[:best]


def _fit(text: str) -> str | None:
    """``text`` if it fits a quote (≤ 100 characters), else its first sentences that do."""
    if len(text) <= MAX_QUOTE:
        return text
    kept = ""
    for s in sentences(text):
        if len(kept) + len(s) > MAX_QUOTE:
            break
        kept += s
    return kept or None
