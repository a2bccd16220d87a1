"""Figures views: every figure of a listing's cases in one table, and a bar chart per indicator.

Each listing page (a region, group, topic, theme, kind of model, year or shared source; 100 cases a
page) gets a figures page beside it covering the same cases: ``groups/couriers.md`` →
``groups/couriers-figures.md``, page 2 ``groups/couriers-figures-p2.md``. The table is plain HTML
(it works without script, from disk and on paper); ``docs/assets/figures.js`` sorts it, filters it
by indicator and writes a CSV of the rows shown. Charts (:mod:`casebook.charts`) are drawn at build
time, one per indicator with at least two figures to compare.

The search page can reuse all of it (docs-notes/figures-views.md): :func:`rows_html` gives the
rows of any list of cases for a page, :func:`row_data` the same figures as plain data, and
``figures.js`` enhances any ``.cb-figview`` block built from ``templates/figures.md.j2``'s markup.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from . import charts
from .model import Case, Figure
from .vocab import Term, vocabulary

SUFFIX = "-figures"


def figures_base(base: str) -> str:
    """The figures view of a listing: ``groups/couriers.md`` → ``groups/couriers-figures.md``."""
    return base[: -len(".md")] + SUFFIX + ".md"


MIN_CASES = 2  # a listing of one case links to that case's page, which shows its figures
MAX_CASES = 500  # a listing of more cases has no figures view (docs-notes/figures-views.md)
PAGE_WEIGHT = 24_000  # about this many bytes of rows and bars a figures page: it stays under 30 KB (with margin)
BAR_WEIGHT = 350  # a bar of a chart, with its label and value
CHART_WEIGHT = 1_000  # a chart's caption (with the indicator's definition) and frame


def figures_page(base: str, pageno: int) -> str:
    """Page ``pageno`` of the figures view of the listing ``base``."""
    from .render import paged_name

    return paged_name(figures_base(base), pageno)


def count(cases: list[Case]) -> int:
    return sum(len(c.numbers) for c in cases)


def sort_value(f: Figure) -> float | None:
    """The number a figure sorts and charts by: its value, a range's low end, a change's after value."""
    amount = f.after if f.is_change else f.amount
    if amount is None:
        return None
    return amount.value if amount.value is not None else amount.low


def number_attr(x: float) -> str:
    """A number for a data attribute and the CSV: 12, 0.5, 78.47 (no exponent, no thousands separator)."""
    x = float(x)
    if x.is_integer():
        return str(int(x))
    return format(x, ".15g") if "e" not in format(x, ".15g") else format(x, "f").rstrip("0").rstrip(".")


def indicator_counts(cases: list[Case]) -> tuple[list[tuple[Term, int]], int]:
    """The indicators the cases' figures carry, in the vocabulary's order with their counts, and the
    number of figures that carry none."""
    found: dict[str, int] = {}
    untagged = 0
    for case in cases:
        for f in case.numbers:
            if f.indicator:
                found[f.indicator] = found.get(f.indicator, 0) + 1
            else:
                untagged += 1
    vocab = vocabulary("indicators")
    return [(t, found[t.slug]) for t in vocab.terms if t.slug in found], untagged


# --- the rows ---------------------------------------------------------------------------------------


def rows_html(ctx, cases: list[Case]) -> Markup:  # noqa: ANN001 (a render.Ctx)
    """The table rows of every figure of ``cases`` for the page of ``ctx``.

    A case's rows are rendered once per language with link placeholders, then once per folder
    with its relative links (a case is in about a dozen listings), as ``Ctx.fragment`` does for
    listing entries."""
    from .render import _PLACEHOLDER, _LinkPlaceholders, _rel_from, environment

    cache = ctx.catalog.__dict__.setdefault("_figure_rows_cache", {})
    folder = ctx.folder
    out = []
    for case in cases:
        if not case.numbers:
            continue
        full = (ctx.lang, folder, case.id)
        hit = cache.get(full)
        if hit is None:
            neutral = (ctx.lang, None, case.id)
            text = cache.get(neutral)
            if text is None:
                placeholder = _LinkPlaceholders(ctx.lang, ctx.page, ctx.catalog, ctx.options)
                module = environment(ctx.lang).get_template("_figures.j2").module
                text = cache[neutral] = module.rows(case, placeholder)
            hit = cache[full] = _PLACEHOLDER.sub(lambda m: _rel_from(folder, m[1]), text)
        out.append(hit)
    return Markup("".join(out))


def row_data(case: Case, lang: str) -> list[dict]:
    """A case's figures as the columns of the view and its CSV (plain text, nothing escaped): for
    pages that build the table in the browser, such as the search page."""
    from .render import figure_value, fmt_date, labels

    t = labels(lang)
    place = _place(case, lang)
    out = []
    for f in case.numbers:
        src = case.source(f.source)
        v = sort_value(f)
        amount = f.amount
        out.append(
            {
                "case": _title(case, lang),
                "case_id": case.id,
                "place": place,
                "indicator": f.indicator or "",
                "indicator_label": vocabulary("indicators").get(f.indicator).label(lang) if f.indicator else "",
                "subject": f.en if lang != "zh" and f.en else f.subject,
                "value": str(Markup(figure_value(f, lang)).striptags()),
                "number": None if v is None else float(v),
                "high": amount.high if amount is not None and amount.qualifier == "range" else None,
                "unit": f.unit,
                "printed": f.printed,
                "date": (fmt_date(f.date, lang) + (t.inferred_mark if f.date_inferred else "")) if f.date else "",
                "source": (f"{src.outlet or t.publication_unknown} · {fmt_date(src.date, lang)}" if src else ""),
            }
        )
    return out


def _title(case: Case, lang: str) -> str:
    return case.en.title if lang != "zh" and case.en else case.title


def _place(case: Case, lang: str) -> str:
    def name(p) -> str:  # noqa: ANN001
        return p.name if lang == "zh" else p.name_en

    last, first = case.region[-1], case.region[0]
    return name(last) + (f" · {name(first)}" if len(case.region) > 1 else "")


# --- charts -----------------------------------------------------------------------------------------


def chart_items(cases: list[Case], slug: str, lang: str, cache: dict | None = None) -> list[charts.Item]:
    """The figures of ``cases`` carrying indicator ``slug`` that have a number to draw (not changes),
    each labelled with its place and what it counts (two figures of one case stay apart). ``cache``
    keeps each case's items by language (a case is on several figures pages)."""
    cache = {} if cache is None else cache
    items = []
    for case in cases:
        mine = cache.get((lang, case.id))
        if mine is None:
            mine = cache[(lang, case.id)] = _case_items(case, lang)
        items.extend(mine.get(slug, ()))
    return items


def _case_items(case: Case, lang: str) -> dict[str, list[charts.Item]]:
    from .render import figure_value

    out: dict[str, list[charts.Item]] = {}
    place = _place(case, lang)
    for f in case.numbers:
        if not f.indicator or f.is_change or f.amount is None:
            continue
        a = f.amount
        low = a.value if a.value is not None else a.low
        if low is None:
            continue
        high = a.high if a.qualifier == "range" and a.high is not None else None
        out.setdefault(f.indicator, []).append(
            charts.Item(
                case_id=case.id,
                label=f"{place} · {f.en if lang != 'zh' and f.en else f.subject}",
                value_text=str(Markup(figure_value(f, lang)).striptags()),
                low=float(low),
                high=float(high) if high is not None else None,
                label_zh=lang != "zh" and not f.en,
            )
        )
    return out


def charts_html(ctx, cases: list[Case], indicators: list[tuple[Term, int]]) -> Markup:  # noqa: ANN001
    """One chart per indicator with at least two figures to draw."""
    from .render import unit_label

    t = ctx.t
    out = []
    for term, _n in indicators:
        items = chart_items(cases, term.slug, ctx.lang, ctx.catalog.__dict__.setdefault("_chart_items", {}))
        if len(items) < 2:
            continue
        total = len(items)
        count_text = t.fig_chart_top.format(n=charts.LIMIT, total=total) if total > charts.LIMIT else ""
        units = "、" if ctx.lang == "zh" else ", "
        unit_names = units.join(
            dict.fromkeys(str(Markup(unit_label(str(u), ctx.lang)).striptags()) or str(u) for u in term.extra["units"])
        )
        definition = term.extra.get("definition", {}).get(ctx.lang, "")
        chart = charts.bar_chart(
            items,
            slug=term.slug,
            title=term.label(ctx.lang),
            units=unit_names,
            definition=definition,
            count_text=count_text,
        )
        out.append(charts.render(chart, ctx))
    return Markup("\n".join(out))


# --- pages ------------------------------------------------------------------------------------------


def weight(case: Case) -> int:
    """About how many bytes a case's rows (and its bars in the charts) take on a figures page, in
    either language: the pages are cut by this, so both languages split a listing alike."""
    w = 400 + 3 * len(case.title)
    for f in case.numbers:
        w += 200 + 3 * (len(f.subject) + len(f.printed)) + len(f.en or "") + (BAR_WEIGHT if f.indicator else 0)
    return w


def pack(cases: list[Case], budget: int = PAGE_WEIGHT) -> list[list[Case]]:
    """The cases with figures, in listing order, in pages of about ``budget`` bytes of rows and
    charts (a case heavier than that gets a page of its own): each case weighs :func:`weight`, each
    chart the page draws (an indicator with two figures or more) :data:`CHART_WEIGHT` more."""
    pages: list[list[Case]] = []
    used = budget
    tagged: dict[str, int] = {}
    for case in cases:
        if not case.numbers:
            continue
        mine: dict[str, int] = {}
        for f in case.numbers:
            if f.indicator:
                mine[f.indicator] = mine.get(f.indicator, 0) + 1
        w = weight(case) + CHART_WEIGHT * _new_charts(tagged, mine)
        if used + w > budget:
            pages.append([])
            tagged = {}
            w = weight(case) + CHART_WEIGHT * _new_charts(tagged, mine)
            used = 0
        pages[-1].append(case)
        for slug, n in mine.items():
            tagged[slug] = tagged.get(slug, 0) + n
        used += w
    return pages


def _new_charts(page: dict[str, int], case: dict[str, int]) -> int:
    """How many charts (an indicator with two figures or more) adding a case to a page starts."""
    return sum(1 for slug, n in case.items() if page.get(slug, 0) < 2 <= page.get(slug, 0) + n)


@dataclass(frozen=True)
class Plan:
    """A listing's figures view: its pages (cases packed by :func:`pack`) and where the listing's
    pages link to."""

    base: str  # the listing's first page, e.g. groups/couriers.md
    pages: tuple[tuple[Case, ...], ...]
    total: int  # figures
    page_of: dict  # case id → the figures page (1-based) that holds it
    back: tuple[int, ...] = ()  # for each figures page, the listing page showing its first case
    single: str | None = None  # a listing of one case: that case's page

    def link(self, chunk: list[Case]) -> str | None:
        """Where a listing page showing ``chunk`` links: the figures page of its first case that
        reports a figure (the case page for a one-case listing), or None."""
        if self.single:
            return self.single
        first = next((c for c in chunk if c.numbers), None)
        return figures_page(self.base, self.page_of[first.id]) if first is not None else None


def plan(catalog, base: str, cases: list[Case]) -> Plan | None:  # noqa: ANN001 (an index.Catalog)
    """The figures view of the listing ``base`` of ``cases`` (listing order), or None: no figure,
    the list of every case, or more than :data:`MAX_CASES` cases. The same for both languages, so
    computed once (kept on the catalog)."""
    plans = catalog.__dict__.setdefault("_figure_plans", {})
    if base in plans:
        return plans[base]
    total = count(cases)
    found = None
    if total and not base.startswith("cases/") and len(cases) <= MAX_CASES:
        if len(cases) < MIN_CASES:
            from .render import case_page

            found = Plan(base, (), total, {}, single=case_page(cases[0].id))
        else:
            from .render import PAGE_SIZE

            pages = pack(cases)
            page_of = {c.id: n for n, page in enumerate(pages, 1) for c in page}
            where = {c.id: k for k, c in enumerate(cases)}
            back = tuple(where[p[0].id] // PAGE_SIZE + 1 for p in pages)
            found = Plan(base, tuple(tuple(p) for p in pages), total, page_of, back)
    plans[base] = found
    return found


def view_pages(
    plan: Plan | None,
    title: str,
    title_lang: str,
    lang: str,
    catalog,
    options: dict,  # noqa: ANN001
) -> Iterator[tuple[str, str]]:
    """The figures pages of a listing (none for a listing of one case)."""
    from .render import Ctx, paged_name, render

    if plan is None or not plan.pages:
        return
    fbase = figures_base(plan.base)
    stem = posixpath.splitext(posixpath.basename(fbase))[0]
    for n, chunk in enumerate(plan.pages, 1):
        page = paged_name(fbase, n)
        ctx = Ctx(lang, page, catalog, options)
        cases = list(chunk)
        indicators, untagged = indicator_counts(cases)
        total = count(cases)
        yield (
            page,
            render(
                "figures.md.j2",
                ctx,
                cases=cases,
                title=title,
                title_lang=title_lang,
                listing=paged_name(plan.base, plan.back[n - 1]),
                base=fbase,
                pageno=n,
                pages=len(plan.pages),
                total=total,
                all_figures=plan.total,
                tagged=total - untagged,
                untagged=untagged,
                indicators=indicators,
                rows=rows_html(ctx, cases),
                charts=charts_html(ctx, cases, indicators),
                csv_name=(stem if n == 1 else f"{stem}-p{n}") + ".csv",
            ),
        )
