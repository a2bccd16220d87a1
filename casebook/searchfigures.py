"""The figures of the search page's result: the data ``docs/assets/search-figures.js`` builds its
figures view from (docs-notes/figures-views.md, "The search page's figures view").

The search page's result is a list of rows of ``search/facets.json`` ("facets order":
``catalog.cases``, the order :mod:`casebook.facets` writes). Their figures are cut into files of
:data:`CASES_PER_FILE` cases in that order, per language, so the page fetches only the files that
hold the cases it shows:

``search/figures/meta.json``
    ``{"v": 1, "n": CASES_PER_FILE, "files": k, "cases": N, "cap": MAX_CASES, "i": [[slug, label], …],
    "ui": {key: label}}``: the shard size, how many of a result's cases the view shows at most (the
    static views' limit, :data:`casebook.figures.MAX_CASES`), the indicators some figure carries, in
    the vocabulary's order (the filter's order), and the view's interface strings (:data:`UI_KEYS`;
    the search page itself carries only those needed before this file arrives).
``search/figures/<k>.json``
    one entry per case of rows ``k·n … k·n+n-1``: ``0`` for a case without figures, else
    ``[id, title, place, source, title_is_zh, [figure, …]]`` with ``source`` the case's one source
    (else ""), and each figure
    ``[indicator, subject, value, number, high, unit, date, date_text, printed, printed_differs,
    source, subject_is_zh]``; ``printed`` is "" when it reads as ``value`` does.

Every text is plain, as :func:`casebook.figures.row_data` gives it (nothing escaped: the script sets
it with ``textContent``); ``number`` and ``high`` are written as the static view's ``data-v`` and
``data-h`` (:func:`casebook.figures.number_attr`), ``date`` as its ``data-d``. Arrays, no keys, and
0/1 for flags, to keep the files small at 10,000 cases. Written by :func:`figure_files` with the
other data files (casebook/site.py); the bytes depend only on the records.
"""

from __future__ import annotations

import json

from . import figures
from .casepage import printed_differs
from .index import Catalog
from .model import Case
from .render import LANGS, docs_path, ui
from .vocab import vocabulary

FORMAT = 1
CASES_PER_FILE = 64  # as search/lines/<k>.json (casebook/facets.py LINES)
# The view's interface strings (casebook/data/ui.yaml), sent in meta.json: the markup of
# templates/figures.md.j2 and the view's own notes.
UI_KEYS = (
    "fig_view",
    "fig_case",
    "fig_place",
    "fig_indicator",
    "fig_subject",
    "fig_value",
    "fig_date",
    "fig_source",
    "fig_case_id",
    "fig_number",
    "fig_high",
    "fig_unit",
    "fig_printed",
    "fig_as_printed",
    "fig_all",
    "fig_untagged",
    "fig_filter",
    "fig_sort",
    "fig_sort_listing",
    "fig_asc",
    "fig_desc",
    "fig_csv",
    "fig_shown",
    "fig_n",
    "fig_sort_option",
    "fig_cases",
    "fig_cases_one",
    "fig_count",
    "fig_count_one",
    "fig_tagged",
    "fig_lead",
    "colon",
    "sfig_none",
    "sfig_cap",
)


def _number(x: float | None) -> str:
    return "" if x is None else figures.number_attr(x)


def case_entry(case: Case, lang: str) -> list | int:
    """A case's entry in its file: 0 when it has no figures."""
    if not case.numbers:
        return 0
    rows = figures.row_data(case, lang)
    one = len(case.sources) == 1
    out = []
    for f, r in zip(case.numbers, rows, strict=True):
        out.append(
            [
                r["indicator"],
                r["subject"],
                r["value"],
                _number(r["number"]),
                _number(r["high"]),
                r["unit"],
                f.date or "",
                r["date"],
                "" if r["printed"] == r["value"] else r["printed"],
                1 if printed_differs(f, lang) else 0,
                "" if one else r["source"],
                1 if lang != "zh" and not f.en else 0,
            ]
        )
    title_zh = 1 if lang != "zh" and not case.en else 0
    return [case.id, rows[0]["case"], rows[0]["place"], rows[0]["source"] if one else "", title_zh, out]


def meta(catalog: Catalog, lang: str) -> dict:
    """What the script needs before the files of cases: shard size, counts, the indicators."""
    used = {f.indicator for c in catalog.cases for f in c.numbers if f.indicator}
    terms = [[t.slug, t.label(lang)] for t in vocabulary("indicators").terms if t.slug in used]
    n = len(catalog.cases)
    labels = ui()
    return {
        "v": FORMAT,
        "n": CASES_PER_FILE,
        "files": _files(n),
        "cases": n,
        "cap": figures.MAX_CASES,
        "i": terms,
        "ui": {k: labels[k][lang] for k in UI_KEYS},
    }


def _files(n: int) -> int:
    return max(1, -(-n // CASES_PER_FILE))


def _path(name: str, lang: str) -> str:
    return docs_path(f"search/figures/{name}.md", lang)[: -len(".md")] + ".json"


def _dump(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def figure_files(catalog: Catalog) -> dict[str, bytes]:
    """``search/figures/meta.json`` and ``search/figures/<k>.json`` for every language, keyed by
    their paths under ``docs/`` (``…/x.en.json`` for English, as the facets)."""
    out = {}
    cases = catalog.cases
    for lang in LANGS:
        out[_path("meta", lang)] = _dump(meta(catalog, lang))
        for k in range(_files(len(cases))):
            chunk = [case_entry(c, lang) for c in cases[k * CASES_PER_FILE : (k + 1) * CASES_PER_FILE]]
            out[_path(str(k), lang)] = _dump(chunk)
    return out
