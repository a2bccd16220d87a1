"""Groups, topics and theme suggested from the vocabularies' own words (the editor confirms them).

A term is suggested when its Chinese label (without a parenthesis: 网络主播（直播带货员） gives
网络主播 and 直播带货员), one of its ``aliases`` when the vocabulary has them, or the first two
characters of a label of four or more (外卖配送员 → 外卖) occurs in the practice's text. Topics also
come from the model kinds (vocab/model-kinds.yaml keywords, mapped in casebook/draft/rules.yaml).
"""

from __future__ import annotations

import re

from ..vocab import Term, vocabulary
from .rules import rules


def _keys(term: Term) -> list[tuple[str, int]]:
    """(word, weight): the label's parts and aliases count 2, a label's first two characters 1."""
    out = [(p, 2) for p in re.split(r"[（）()]", term.zh) if len(p) >= 2]
    out += [(str(a), 2) for a in term.extra.get("aliases") or [] if str(a)]
    if len(term.zh) >= 4:
        out.append((term.zh[:2], 1))
    return out


def _hits(kind: str, text: str) -> list[str]:
    """Terms whose words occur in ``text`` with a weight of 2 or more, most first."""
    scored = []
    for i, t in enumerate(vocabulary(kind).terms):
        n = sum(text.count(k) * w for k, w in _keys(t))
        if n >= 2:
            scored.append((-n, i, t.slug))
    return [s for _, _, s in sorted(scored)]


def groups(text: str) -> list[str]:
    return _hits("groups", text)[:4]


def topics(text: str) -> list[str]:
    found = _hits("topics", text)
    mapping = rules()["kind_topics"]
    for kind in vocabulary("model-kinds").terms:
        if any(str(k) in text for k in kind.extra.get("keywords") or []):
            slug = mapping.get(kind.slug)
            if slug and slug not in found:
                found.append(slug)
    return found[:4]


def theme(text: str, group_slugs: list[str]) -> str | None:
    if set(rules()["new_employment_groups"]) & set(group_slugs) or "新就业群体" in text:
        return "new-employment-groups"
    best = None
    for t in vocabulary("themes").terms:
        label = t.zh
        for p in rules()["theme_label_prefixes"]:
            label = label.removeprefix(p)
        n = text.count(label) + sum(text.count(str(a)) for a in t.extra.get("aliases") or [])
        if n and (best is None or n > best[0]):
            best = (n, t.slug)
    return best[1] if best else None
