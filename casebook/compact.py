"""Remove the indentation of template-generated HTML (not inside <pre>, <textarea> or <script>).

Material's templates indent deeply; on a case page that is several kilobytes of spaces. Only
leading whitespace of lines goes, so inline spacing and rendering stay the same.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]+")
_BLANKS = re.compile(r"\n{2,}")


def compact(html: str) -> str:
    parts = _KEEP.split(html)
    out = []
    # re.split with two groups yields: text, whole-kept-block, tag-name, text, …
    for i in range(0, len(parts), 3):
        out.append(_BLANKS.sub("\n", _INDENT.sub("\n", parts[i])))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
