"""An article as blocks: headings, bylines, captions and body paragraphs, with their source lines.

A scanned page breaks paragraphs anywhere ("省公安厅情报指挥中心副主" / "任、党支部纪检委员……"): a block
that does not end a sentence and looks like running text is joined with the next one. A scan that
repeats a stretch of the page (the same paragraphs twice) is read once: a paragraph whose text the
article already had is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..verify import norm, read_source
from .rules import rules, words

TERMINAL = tuple("。！？!?…；;”’」』)）")
_SENTENCE_PUNCT = re.compile(r"[。！？!?]")
_CLAUSE_PUNCT = re.compile(r"[，,、；;：:]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_BOLD = re.compile(r"\*\*")
_REPORT = re.compile(r"^本报讯\s*[（(]([^）)]{1,40})[）)]")
_SHINGLE = 8


@dataclass
class Block:
    """One paragraph of the article after the scan's breaks are mended."""

    text: str
    line: int  # 1-based line of the source where it starts
    kind: str = "body"  # heading | byline | caption | body
    rank: int = 0  # markdown heading level (1–6); plain headings 9
    separate: bool = False  # a caption that is an item of its own on the page
    lines: list[int] = field(default_factory=list)  # the source line of each joined piece
    starts: list[int] = field(default_factory=lambda: [0])  # where each joined piece starts in ``text``

    def line_at(self, offset: int) -> int:
        """The source line of the character at ``offset`` of ``text``."""
        k = max(i for i, s in enumerate(self.starts) if s <= offset) if self.starts else 0
        return self.lines[k] if k < len(self.lines) else self.line


def read_article(path: Path) -> str:
    """The text of an article file (size and type checks as ``casebook verify`` does them)."""
    return read_source(path).text


def _raw_blocks(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not current:
                start = i
            current.append(line.strip())
        elif current:
            out.append(("".join(current), start))
            current = []
    if current:
        out.append(("".join(current), start))
    return out


def _unbalanced(text: str) -> bool:
    return text.count("“") > text.count("”")


def _body_like(text: str) -> bool:
    return len(text) > 30 or bool(re.search(r"[，,、]", text)) or _unbalanced(text)


def _first_clause(text: str) -> str:
    m = _CLAUSE_PUNCT.search(text)
    return text[: m.start()] if m else text


def _is_byline(text: str, after_heading: bool) -> bool:
    if len(text) > 60 or _SENTENCE_PUNCT.search(text):
        return False
    if text.startswith("■") or any(w in text for w in rules()["byline_marks"]):
        return True
    if not after_heading or len(text) > 40 or re.search(r"[，,、：:“”]", text):
        return False
    tokens = text.split()
    name = ""
    while tokens and len(tokens[-1]) <= 3 and _HAN.fullmatch(tokens[-1][0]) and len(name + tokens[-1]) <= 4:
        name = tokens.pop() + name
    return len(name) >= 2 and (bool(tokens) or len(text) <= 3)


def _byline_line(text: str) -> bool:
    """A short line that opens or ends with a byline mark (本报记者 戴振华 文/图): never the rest of the
    paragraph before it, even when that paragraph breaks off mid-sentence."""
    marks = tuple(rules()["byline_marks"])
    return (
        len(text) <= 40
        and not re.search(r"[，,。；;：:！？!?]", text)
        and (text.startswith(("■", *marks)) or text.rstrip("）)").endswith(tuple(m.rstrip("）)") for m in marks)))
    )


def _is_heading(text: str) -> bool:
    return (
        len(text) <= 34
        and bool(_HAN.search(text))
        and not _SENTENCE_PUNCT.search(text)
        and not text.endswith(("，", "、", ",", "；"))
        and not re.search(r"[，,、]", text)
        and not _unbalanced(text)
    )


def blocks(text: str) -> list[Block]:
    """The article's blocks in order, classified; scan breaks mended, repeated stretches left out."""
    r = rules()
    raw = _raw_blocks(text)
    out: list[Block] = []
    seen: set[str] = set()
    for chunk, line in raw:
        m = _MD_HEADING.match(chunk)
        rank = len(m.group(1)) if m else 0
        body = _BOLD.sub("", chunk[m.end() :] if m else chunk).strip()
        if not body:
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and not rank
            and not prev.text.endswith(TERMINAL)
            and (
                (prev.kind == "body" and (_body_like(prev.text) or len(_first_clause(body)) <= 3))
                or (
                    prev.rank == 9 and len(_first_clause(body)) <= 2 and body[len(_first_clause(body)) :][:1] in "、，,"
                )
            )
            and not body.startswith(tuple(words("captions_separate")) + tuple(words("captions_attached")))
            and not _byline_line(body)
        ):
            prev.starts.append(len(prev.text))
            prev.text += body
            prev.lines.append(line)
            prev.kind, prev.rank = "body", 0
            continue
        if any(body.startswith(p) for p in r["ignore_prefixes"]):
            continue
        after_heading = prev is not None and prev.kind == "heading"
        block = Block(body, line, lines=[line])
        if rank:
            block.kind, block.rank = "heading", rank
        elif body.startswith(tuple(words("captions_separate"))):
            block.kind, block.separate = "caption", True
        elif body.startswith(tuple(words("captions_attached"))) or re.search(r"摄(?:[（(][^）)]*[）)])?$", body):
            block.kind = "caption"
        elif _is_byline(body, after_heading):
            block.kind = "byline"
        elif _is_heading(body):
            block.kind, block.rank = "heading", 9
        else:
            report = _REPORT.match(body)
            if report:  # 本报讯（记者 沈迅）正文……: the byline and the body
                out.append(Block(report.group(0), line, "byline", lines=[line]))
                block.text = body[report.end() :].lstrip()
        out.append(block)
    # a stretch the scan printed twice: a body block whose text the article already had
    kept: list[Block] = []
    for b in out:
        if b.kind == "body":
            s = norm(b.text)
            grams = {s[i : i + _SHINGLE] for i in range(max(1, len(s) - _SHINGLE + 1))}
            if len(s) >= 12 and len(grams & seen) >= 0.8 * len(grams):
                continue
            seen |= grams
        kept.append(b)
    return kept


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end (。！？ and a closing quotation mark that follows one)."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[。！？!?]+[”’」』]?", text):
        out.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return [s for s in out if s.strip()]
