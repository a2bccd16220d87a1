"""The search page's own data: one compact JSON per language (``search/facets.json``).

The search page and the header search box read it (lazily, at the first query) to narrow any
search by region, group served, topic, theme and year, to count results per value, to sort by date
and to show titles without fetching each case's text.

It also lists which cases are searchable: :func:`casebook.search.index_site` indexes exactly the
case pages named here, in this order.

Shape (arrays, not objects, so that 10,000 cases stay small)::

    {"v": 2, "lang": "zh", "ui": {key: label},
     "f": {"p": [[code, label]], "c": [[code, label, province index]],
           "g": [[slug, label]], "t": [[slug, label]], "th": [[slug, label]], "y": ["2023", …],
           "k": [[slug, label]], "l": [[slug, label]]},
     "a": {name: [[facet, value index], …]}, "r": {name: [[facet, value index], …]},
     "pl": [place label, …],
     "cols": the cases' rows [id, title, model, date, place, p, c, [g…], [t…], th, y, [k…], l]
             (+ [title_is_zh, model_en] in English), written column by column (``cols[k][i]`` is
             row i's k-th value; :func:`rows` and search.js rebuild the rows), place as an index
             into "pl"}

``date`` is an integer YYYYMMDD (missing month/day are 00); ``c`` is -1 for a case without a second
region level; ``k`` are the model kinds (derived, casebook/index.py), ``l`` the level of the body
running the practice (vocab/actor-levels.yaml). Cases are in listing order (newest year first, then
title by pinyin).

``a`` (aliases) and ``r`` (related words) come from the vocabularies' ``aliases`` and ``related``
lists (groups, topics, themes, model kinds), both languages in both files, keyed by
:func:`search_key` — the same normalisation docs/assets/search.js applies to a query. A query that
is a category's label or alias also finds every case tagged with it; a related word only points to
the category. Only categories some case has are listed.
"""

from __future__ import annotations

import json
import re
import unicodedata

from .divisions import english_name
from .index import Catalog
from .model import Case
from .render import LANGS, docs_path, ui
from .vocab import province_by_code, vocabulary

FORMAT = 2
# Summaries' first lines: cases per file (docs/assets/search.js LINES) and characters per line.
LINES = 64
LINE_MAX = 60
# (facet key in facets.json, vocabulary): the categories a query may name.
CATEGORY_FACETS = (("g", "groups"), ("t", "topics"), ("th", "themes"), ("k", "model-kinds"))
# Quotation marks and dots inside names, dropped from queries and keys (casebook/search.py NAME_MARKS).
_NAME_MARKS = {
    ord(c): None for c in "\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009\u00b7\u30fb\u2022"
}
_NON_WORD = re.compile(r"[\W_]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_GAP = re.compile(f"(?<=[{_HAN}]) | (?=[{_HAN}])")
# Interface strings the script needs (casebook/data/ui.yaml).
UI_KEYS = (
    "search",
    "search_placeholder",
    "search_results",
    "search_results_one",
    "search_no_results",
    "search_all_results",
    "search_sort",
    "search_sort_relevance",
    "search_sort_date",
    "search_filters",
    "search_active",
    "search_clear",
    "search_remove",
    "search_more",
    "search_loading",
    "search_error",
    "search_province",
    "search_city",
    "search_all",
    "search_show_more_values",
    "regions",
    "groups",
    "topics",
    "themes",
    "years",
    "all_cases",
    "untranslated_mark",
    "models",
    "actor_levels",
    "search_match_loose",
    "search_match_partial",
    "search_match_category",
    "search_loose_note",
    "search_partial_note",
    "search_match_split",
    "search_split_note",
    "search_split_and",
    "search_category_note",
    "search_related_note",
    "search_empty_title",
    "search_empty_filters",
    "search_empty_without",
    "search_empty_clear",
    "search_empty_near",
    "search_empty_models",
    "search_empty_browse",
    "search_empty_fields",
    "search_show_results",
)


def search_key(text: str) -> str:
    """A name as the search script compares it with a query: NFKC, lower case, no quotation marks
    or middle dots, other punctuation and runs of spaces as one space, none beside a Han character
    (外卖 骑手 = 外卖骑手, Drivers' home = drivers home)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_NAME_MARKS)
    text = _NON_WORD.sub(" ", text).strip()
    return _HAN_GAP.sub("", text)


def _names(term, lang_lists: str) -> list[str]:
    """A term's labels (both languages, and a label's parts around brackets) or its related words."""
    out: list[str] = []
    if lang_lists == "aliases":
        for label in (term.zh, term.en):
            out.append(label)
            out.extend(p for p in re.split(r"[（）()]", label) if p.strip() and p != label)
    for lang in ("zh", "en"):
        out.extend(str(w) for w in (term.extra.get(lang_lists) or {}).get(lang) or [])
    return out


def category_names(values: dict[str, dict[str, int]]) -> tuple[dict, dict]:
    """(aliases, related): search key → [[facet, value index], …] for the categories in ``values``
    (facet key → slug → index in that facet's list)."""
    aliases: dict[str, list] = {}
    related: dict[str, list] = {}
    for facet, kind in CATEGORY_FACETS:
        for term in vocabulary(kind).terms:
            at = values[facet].get(term.slug)
            if at is None:
                continue
            for table, lists in ((aliases, "aliases"), (related, "related")):
                for name in _names(term, lists):
                    key = search_key(name)
                    if key and [facet, at] not in table.setdefault(key, []):
                        table[key].append([facet, at])
    # a word that names a category is not also merely related to it
    for key, cats in list(related.items()):
        left = [c for c in cats if c not in aliases.get(key, [])]
        if left:
            related[key] = left
        else:
            del related[key]
    return aliases, related


def case_date(case: Case) -> int:
    """The case's date as YYYYMMDD (reported, else started, else added); unknown parts are 00."""
    raw = (case.reported or case.started or case.added or "")[:10]
    parts = (raw.split("-") + ["0", "0"])[:3]
    try:
        y, m, d = (int(p or 0) for p in parts)
    except ValueError:
        return 0
    return y * 10000 + m * 100 + d


def _province_label(code: str, name: str, lang: str) -> str:
    term = province_by_code(code)
    if term is not None:
        return term.label(lang)
    return name if lang == "zh" else english_name(name)


def _place_label(place, lang: str) -> str:
    return place.name if lang == "zh" else place.name_en


def facets_data(catalog: Catalog, lang: str) -> dict:
    cases = catalog.cases
    provinces = sorted({c.region[0].code: c.region[0] for c in cases}.items())
    p_index = {code: i for i, (code, _) in enumerate(provinces)}
    cities = sorted({c.region[1].code: (c.region[1], c.region[0].code) for c in cases if len(c.region) > 1}.items())
    c_index = {code: i for i, (code, _) in enumerate(cities)}

    def terms(kind: str, used: set[str]) -> list[list[str]]:
        return [[t.slug, t.label(lang)] for t in vocabulary(kind).terms if t.slug in used]

    groups = terms("groups", {g for c in cases for g in c.groups})
    topics = terms("topics", {t for c in cases for t in c.topics})
    themes = terms("themes", {c.theme for c in cases})
    g_index = {slug: i for i, (slug, _) in enumerate(groups)}
    t_index = {slug: i for i, (slug, _) in enumerate(topics)}
    th_index = {slug: i for i, (slug, _) in enumerate(themes)}
    years = sorted({c.year for c in cases}, reverse=True)
    y_index = {y: i for i, y in enumerate(years)}
    kinds = terms("model-kinds", {k for c in cases for k in catalog.kinds.get(c.id, ())})
    k_index = {slug: i for i, (slug, _) in enumerate(kinds)}
    levels = terms("actor-levels", {c.actor_level for c in cases})
    l_index = {slug: i for i, (slug, _) in enumerate(levels)}

    rows = []
    for c in cases:
        en = c.en if lang != "zh" else None
        title = en.title if en else c.title
        row = [
            c.id,
            title,
            c.model_name,
            case_date(c),
            _place_label(c.place, lang),
            p_index[c.region[0].code],
            c_index[c.region[1].code] if len(c.region) > 1 else -1,
            sorted({g_index[g] for g in c.groups}),
            sorted({t_index[t] for t in c.topics}),
            th_index[c.theme],
            y_index[c.year],
            sorted({k_index[k] for k in catalog.kinds.get(c.id, ())}),
            l_index[c.actor_level],
        ]
        if lang != "zh":
            row += [0 if en else 1, (en.model or "") if en else ""]
        rows.append(row)
    labels = ui()
    aliases, related = category_names({"g": g_index, "t": t_index, "th": th_index, "k": k_index})
    # Column by column (each column's values alike compress far better than row by row: 335 → about
    # 250 KB sent at 10,000 generated cases), places as numbers into a table of their own.
    places = sorted({r[4] for r in rows})
    pl_index = {p: i for i, p in enumerate(places)}
    for r in rows:
        r[4] = pl_index[r[4]]
    width = max((len(r) for r in rows), default=13)
    return {
        "v": FORMAT,
        "lang": lang,
        "ui": {k: labels[k][lang] for k in UI_KEYS},
        "f": {
            "p": [[code, _province_label(code, place.name, lang)] for code, place in provinces],
            "c": [[code, _place_label(place, lang), p_index[parent]] for code, (place, parent) in cities],
            "g": groups,
            "t": topics,
            "th": themes,
            "y": years,
            "k": kinds,
            "l": levels,
        },
        "a": aliases,
        "r": related,
        "pl": places,
        "cols": [[r[k] for r in rows] for k in range(width)],
    }


def rows(data: dict) -> list[list]:
    """The cases of a facets.json as rows ([id, title, model, date, place, …], place as text), the
    way docs/assets/search.js rebuilds them."""
    cols, places = data["cols"], data["pl"]
    out = [list(r) for r in zip(*cols, strict=True)] if cols else []
    for r in out:
        r[4] = places[r[4]]
    return out


def first_line(text: str, lang: str) -> str:
    """A summary's first sentence, cut at :data:`LINE_MAX` characters (with an ellipsis)."""
    text = " ".join(text.split())
    end = [i for i in (text.find("。"), text.find("；"), text.find(". ")) if i >= 0]
    if end:
        text = text[: min(end) + 1]
    limit = LINE_MAX if lang == "zh" else LINE_MAX * 3
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary_lines(catalog: Catalog, lang: str) -> list[str]:
    """Every case's summary's first line, in facets order (the English summary where there is one)."""
    out = []
    for c in catalog.cases:
        en = c.en if lang != "zh" else None
        summary = (en.summary if en and en.summary else None) or c.summary
        out.append(first_line(summary, "en" if en and en.summary else "zh"))
    return out


def facet_files(catalog: Catalog) -> dict[str, bytes]:
    """``search/facets.json`` and ``search/lines/<n>.json`` (the summaries' first lines,
    :data:`LINES` cases a file, loaded for the results a listing shows) for every language, keyed
    by their paths under ``docs/``."""
    out = {}
    for lang in LANGS:
        data = facets_data(catalog, lang)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        out[docs_path("search/facets.md", lang)[: -len(".md")] + ".json"] = (text + "\n").encode("utf-8")
        lines = summary_lines(catalog, lang)
        for k in range(0, max(len(lines), 1), LINES):
            chunk = json.dumps(lines[k : k + LINES], ensure_ascii=False, separators=(",", ":"))
            name = docs_path(f"search/lines/{k // LINES}.md", lang)[: -len(".md")] + ".json"
            out[name] = (chunk + "\n").encode("utf-8")
    return out
