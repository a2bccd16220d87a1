"""What the case page shows beyond the record's own text: figures as readers read them, the
citation of our record, dates with their year page, section anchors.

Figures (issue "from finding to using", §4): a Chinese page writes a value the way the printed
wording does — in 万/亿 where the source did, with the source's own qualifier word in the same
place (9.46亿元, 3万余次, 近600个, 100余万元, 400万单以上) and Arabic digits (两千余名 → 2000余名);
an English page writes words, not symbols ("more than 30,000 times", "nearly 600", "hundreds of").
The qualifier words come from vocab/qualifiers.yaml (their positions, and ``display`` for the
words a page needs that the printed wording does not give).
"""

from __future__ import annotations

import re
from functools import cache

from markupsafe import Markup

from .model import Amount, Case, Figure
from .vocab import vocabulary

MAGNITUDE_CHARS = {10: "十", 100: "百", 1000: "千", 10_000: "万", 100_000_000: "亿"}
_NUMERAL = set("0123456789.,零〇一二两三四五六七八九十百千万亿半")


@cache
def _words(slug: str) -> dict[str, tuple[str, ...]]:
    """A qualifier's printed words by position, longest first."""
    qualifiers = vocabulary("qualifiers")
    if slug not in qualifiers:
        return {}
    extra = qualifiers.get(slug).extra
    return {
        pos: tuple(sorted((str(w) for w in extra.get(pos) or ()), key=len, reverse=True))
        for pos in ("before", "inside", "after", "magnitude")
    }


def display_word(slug: str, lang: str):
    """The word a page shows for a qualifier (``display`` in vocab/qualifiers.yaml)."""
    qualifiers = vocabulary("qualifiers")
    if slug not in qualifiers:
        return ""
    display = qualifiers.get(slug).extra.get("display") or {}
    return display.get(lang, "")


def _number(x: float) -> str:
    """A number without float noise or trailing zeros: 9.46, 2346.82, 30000, 0.5."""
    return f"{round(x, 6):.12g}"


def _magnitude_of(x: float) -> int:
    for m in sorted(MAGNITUDE_CHARS, reverse=True):
        if x >= m:
            return m
    return 10


def _scale(printed: str, unit: str) -> tuple[int, str]:
    """The magnitude the printed wording writes its numeral in (亿, 万 or none), the unit aside."""
    numeral = printed.replace(unit, "") if unit else printed
    if "亿" in numeral:
        return 100_000_000, "亿"
    if "万" in numeral:
        return 10_000, "万"
    return 1, ""


def _found(printed: str, unit: str, slug: str) -> tuple[str, str] | None:
    """(position, word) of the qualifier's word in the printed wording, or None."""
    words = _words(slug)
    text = printed
    for emphasis in _words("exact").get("before", ()):
        if text.startswith(emphasis):
            text = text[len(emphasis) :]
    for w in words.get("magnitude", ()):
        if text.startswith(w) and text[len(w) : len(w) + 1] in MAGNITUDE_CHARS.values():
            return "magnitude", w
    for w in words.get("before", ()):
        if text.startswith(w):
            return "before", w
    for w in words.get("after", ()):
        if text.endswith(w) or (unit and w + unit in text):
            return "after", w
    for w in words.get("inside", ()):
        if w in text:
            return "inside", w
    return None


def zh_amount(a: Amount, unit: str) -> str:
    """A value as a Chinese reader writes it, following the printed wording (plain text)."""
    q = a.qualifier
    found = _found(a.printed, unit, q)
    if q == "several" or (found and found[0] == "magnitude"):
        word = found[1] if found else display_word(q, "zh")
        return f"{word}{MAGNITUDE_CHARS[_magnitude_of(a.value or 10)]}{unit}"
    scale, mag = _scale(a.printed, unit)
    if q == "range":
        core = f"{_number(a.low / scale)}{display_word(q, 'zh')}{_number(a.high / scale)}"
    else:
        core = _number(a.value / scale)
    if found is None:
        word = "" if q == "range" else display_word(q, "zh")
        return f"{word}{core}{mag}{unit}"
    pos, word = found
    if pos == "before":
        return f"{word}{core}{mag}{unit}"
    if pos == "after":
        return f"{core}{mag}{unit}{word}"
    # inside: where the printed wording put it — before the magnitude (100余万元), after it (3万余次),
    # or inside the unit (一个多月)
    if mag and word + mag in a.printed:
        return f"{core}{word}{mag}{unit}"
    for i in range(1, len(unit)):
        if unit[:i] + word + unit[i:] in a.printed:
            return f"{core}{mag}{unit[:i]}{word}{unit[i:]}"
    return f"{core}{mag}{word}{unit}"


def en_number(x: float) -> str:
    """2,000; 946 million; 1.47 million; 23,468,200 (millions only where they stay short)."""
    for size, name in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if x >= size:
            short = round(x / size, 3)
            if abs(short * size - x) < 1e-6 * size:
                return f"{short:,.3f}".rstrip("0").rstrip(".") + f" {name}"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}"


def unit_en(unit: str) -> Markup:
    units = vocabulary("units")
    if unit in units:
        return Markup.escape(units.get(unit).en)
    return Markup('<span lang="zh">{}</span>').format(unit)


def _singular(label: Markup) -> Markup:
    """One of a unit: "1 minute", "1 person" (the vocabulary's English labels are plural)."""
    if label == "people":
        return Markup("person")
    if label.endswith("s") and " " not in label:
        return Markup(label[:-1])
    return label


def en_amount(a: Amount, unit: str) -> Markup:
    """A value in English words: "more than 30,000 times", "nearly 600", "7–8 minutes", "hundreds of"."""
    q = a.qualifier
    label = unit_en(unit)
    if q not in ("range", "several") and a.value == 1:
        label = _singular(label)
    if q == "several":
        by_size = display_word(q, "en") or {}
        phrase = by_size.get(_magnitude_of(a.value or 10), "several")
        if not label:
            phrase = phrase.removesuffix(" of")
        return Markup.escape(phrase) + (Markup(" ") + label if label else Markup(""))
    if q == "range":
        core = f"{en_number(a.low)}{display_word(q, 'en') or '–'}{en_number(a.high)}"
    else:
        word = display_word(q, "en")
        core = f"{word} {en_number(a.value)}" if word else en_number(a.value)
    text = Markup.escape(core)
    if not label:
        return text
    return text + label if label == "%" else text + Markup(" ") + label


def amount_text(a: Amount, unit: str, lang: str) -> Markup:
    if lang == "zh":
        return Markup.escape(zh_amount(a, unit))
    return en_amount(a, unit)


def figure_text(f: Figure, lang: str) -> Markup:
    """A figure's value (a change as "before → after", with the dates of each side)."""
    if f.is_change:
        return _side(f.before, f.unit, lang) + Markup(" → ") + _side(f.after, f.unit, lang)
    if f.amount is None:
        return Markup.escape(f.printed)
    return amount_text(f.amount, f.unit, lang)


def _side(a: Amount, unit: str, lang: str) -> Markup:
    text = amount_text(a, unit, lang)
    if not a.date:
        return text
    from .render import fmt_date, labels  # the page's date form and marks

    t = labels(lang)
    date = fmt_date(a.date, lang) + (t.inferred_mark if a.date_inferred else "")
    return text + Markup("{}{}{}").format(t.paren_open, date, t.paren_close)


def printed_differs(f: Figure, lang: str) -> bool:
    """Whether the page shows the printed wording under the value: when the value is not written
    exactly as printed (两千余名 → 2000余名, a change); on English pages also when the printed
    wording says more than digits and a unit (3万余次, 近600个, 9.46亿元), not for 23名."""
    if f.is_change or f.amount is None:
        return True
    if lang != "zh":
        a = f.amount
        plain = a.qualifier == "exact" and a.value is not None and f.printed == _number(a.value) + f.unit
        return not plain
    return zh_amount(f.amount, f.unit) != f.printed


def linked_measures(case: Case) -> set[int]:
    """The measures (0-based) some figure of the case is linked to."""
    return {k for k, _ in figure_groups(case) if k is not None}


def several_sources(case: Case) -> bool:
    return len(case.sources) > 1


def source_number(case: Case, key: str | None) -> int | None:
    """The figure's or quote's source as its number in the case's source list (1-based), or None."""
    src = case.source(key)
    if src is None:
        return None
    return next(i for i, s in enumerate(case.sources, 1) if s.key == src.key)


def figure_groups(case: Case) -> list[tuple[int | None, list[Figure]]]:
    """The case's figures grouped by the measure they support (``Figure.measure``, a 0-based index
    into ``case.measures``), in the measures' order, then the figures linked to none (``None``). A
    record whose figures name no measure gives one group."""
    groups: dict[int | None, list[Figure]] = {}
    for f in case.numbers:
        ref = f.measure if f.measure is not None and 0 <= f.measure < len(case.measures) else None
        groups.setdefault(ref, []).append(f)
    order = sorted(k for k in groups if k is not None) + ([None] if None in groups else [])
    return [(k, groups[k]) for k in order]


# --- dates, anchors, untranslated text ------------------------------------------------------------


def year_linked(date: str, lang: str, href: str) -> Markup:
    """A date with its year as a link to the year's page: 2022年12月6日 with 2022年 linked."""
    from .render import fmt_date

    text = fmt_date(date, lang)
    year = date[:4]
    shown = f"{year}年" if lang == "zh" else year
    at = text.rfind(shown) if lang != "zh" else text.find(shown)
    link = Markup('<a href="{}">{}</a>').format(href, shown)
    return Markup.escape(text[:at]) + link + Markup.escape(text[at + len(shown) :])


_ANCHOR_DROP = re.compile(r"[^\w\- ]")


def anchor(label: str) -> str:
    """The id a section heading gets (as the toc extension's slugify would make it): 概述, related-cases."""
    return _ANCHOR_DROP.sub("", label).strip().lower().replace(" ", "-")


SECTIONS = {
    # key in templates → ui.yaml label; the id is made from the label, except where fixed
    "summary": "summary",
    "measures": "measures",
    "numbers": "numbers",
    "quotes": "quotes",
    "sources": "sources",
    "cite_case": "cite_case",
    "related": "related",
    "corrections": "corrections",
    "notes": "notes",
}
FIXED_IDS = {"corrections": "corrections"}


@cache
def section_ids(lang: str) -> dict[str, tuple[str, str]]:
    """Each case-page section: (heading label, id) in the page's language."""
    from .render import ui

    out = {}
    for key, label_key in SECTIONS.items():
        label = ui()[label_key][lang]
        out[key] = (label, FIXED_IDS.get(key) or anchor(label))
    return out


def in_chinese(case: Case, section: str) -> bool:
    """Whether a section of an English page shows Chinese text because no translation is recorded."""
    en = case.en
    if section == "summary":
        return en is None or not en.summary
    if section == "measures":
        return en is None or len(en.measures) < len(case.measures)
    if section == "numbers":
        return any(not f.en for f in case.numbers)
    return section in ("quotes", "notes", "corrections")


# --- citing our record ------------------------------------------------------------------------------


def canonical_url(base: str | None, lang: str, case_id: str) -> str | None:
    """The case page's address under the canonical base (``CASEBOOK_SITE_URL``, set when the site is
    published); None without one (intranet copies: the page puts in its own address when copied)."""
    if not base:
        return None
    return base.rstrip("/") + ("/" if lang == "zh" else f"/{lang}/") + f"cases/{case_id}.html"
