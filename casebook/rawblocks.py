"""Keep generated HTML blocks away from Markdown.

Generated pages are Markdown headings (for the table of contents) around blocks of HTML that the
templates built, with every record value escaped. ``mark`` fences each top-level block with HTML
comments; a site generator that knows about them (our MkDocs hook) swaps each block for a token
before Markdown runs and puts it back afterwards (``stash`` / ``restore``), so Python-Markdown
never parses kilobytes of HTML it would pass through unchanged anyway. Without the hook the comments
are inert and Markdown passes the blocks through as raw HTML: the page is the same.
"""

from __future__ import annotations

import re

OPEN = "<!--cb:raw-->"
CLOSE = "<!--/cb:raw-->"
_TOKEN = "CBRAWBLOCK{}X"
_BLOCK = re.compile(re.escape(OPEN) + r"\n(.*?)\n" + re.escape(CLOSE), re.S)
_PLACED = re.compile(r"<p>CBRAWBLOCK(\d+)X</p>")


_START = re.compile(r'^<div class="cb-', re.M)
_DIV = re.compile(r"<div|</div>")


def mark(markdown: str) -> str:
    """Fence every top-level ``<div class="cb-…">`` block (from its line to the line of its matching
    ``</div>``)."""
    out: list[str] = []
    pos = 0
    while (start := _START.search(markdown, pos)) is not None:
        depth, end = 0, len(markdown)
        for tag in _DIV.finditer(markdown, start.start()):
            depth += -1 if tag.group() == "</div>" else 1
            if depth == 0:
                end = markdown.find("\n", tag.end())
                end = len(markdown) if end < 0 else end
                break
        out += (markdown[pos : start.start()], OPEN, "\n", markdown[start.start() : end], "\n", CLOSE)
        pos = end
    out.append(markdown[pos:])
    return "".join(out)


def stash(markdown: str) -> tuple[str, list[str]]:
    """Replace each fenced block by a token paragraph; returns the new text and the blocks."""
    blocks: list[str] = []

    def keep(m: re.Match) -> str:
        blocks.append(m.group(1))
        return "\n\n" + _TOKEN.format(len(blocks) - 1) + "\n\n"

    return _BLOCK.sub(keep, markdown), blocks


def restore(html: str, blocks: list[str]) -> str:
    """Put the blocks back where Markdown left their tokens."""
    if not blocks:
        return html
    return _PLACED.sub(lambda m: blocks[int(m.group(1))], html)
