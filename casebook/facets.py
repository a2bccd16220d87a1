"""The search page's own data: one compact JSON per language (``search/facets.json``).

The search page and the header search box read it (lazily, at the first query) to narrow any
search by region, group served, topic, theme and year, to count results per value, to sort by date
and to show titles without fetching Pagefind's per-page fragments. Pagefind's own filters are not
used: their output files differ from run to run (CloudCannon/pagefind#638).

It also lists which cases are searchable: :func:`casebook.search.index_site` indexes exactly the
case pages named here, in this order.

Shape (arrays, not objects, so that 10,000 cases stay small)::

    {"v": 1, "lang": "zh", "ui": {key: label},
     "f": {"p": [[code, label]], "c": [[code, label, province index]],
           "g": [[slug, label]], "t": [[slug, label]], "th": [[slug, label]], "y": ["2023", …]},
     "c": [[id, title, model, date, place, p, c, [g…], [t…], th, y] (+ [title_is_zh, model_en] in English)]}

``date`` is an integer YYYYMMDD (missing month/day are 00); ``c`` is -1 for a case without a second
region level. Cases are in listing order (newest year first, then title by pinyin).
"""

from __future__ import annotations

import json

from .divisions import english_name
from .index import Catalog
from .model import Case
from .render import LANGS, docs_path, ui
from .vocab import province_by_code, vocabulary

FORMAT = 1
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
)


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
        ]
        if lang != "zh":
            row += [0 if en else 1, (en.model or "") if en else ""]
        rows.append(row)
    labels = ui()
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
        },
        "c": rows,
    }


def facet_files(catalog: Catalog) -> dict[str, bytes]:
    """``search/facets.json`` for every language, keyed by its path under ``docs/``."""
    out = {}
    for lang in LANGS:
        data = facets_data(catalog, lang)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        out[docs_path("search/facets.md", lang)[: -len(".md")] + ".json"] = (text + "\n").encode("utf-8")
    return out
