"""Render the catalog into Markdown pages (Jinja2 templates in ``casebook/templates``).

Every record field reaches the page HTML-escaped, inside a raw HTML block, so Markdown never
interprets it: ``**x**``, ``# x``, ``^0^``, ``{{ x }}`` and ``<script>`` all show as typed.
Headings and structure come from the templates only. Links are relative file URLs
(``use_directory_urls: false``) so the site also works opened from disk.
"""

from __future__ import annotations

import inspect
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from types import BuiltinFunctionType

import jinja2
import jinja2.ext
import yaml
from markupsafe import Markup

from . import casepage, figures, listings, tilemap
from .index import Catalog, RegionNode, model_kinds
from .model import Case, Figure, Source
from .paths import DATA, RESERVED_CASE_PAGES, TEMPLATES
from .rawblocks import mark
from .vocab import Term, vocabulary

LANGS = ("zh", "en")
PAGE_SIZE = 50  # entries per listing page: 100 entries came to ~34 KB, over the 30 KB page budget


@cache
def ui() -> dict[str, dict[str, str]]:
    return yaml.safe_load((DATA / "ui.yaml").read_text(encoding="utf-8"))


class Labels:
    """``t.key`` in templates: the interface string in the page's language."""

    def __init__(self, lang: str):
        self.__dict__.update((key, value[lang]) for key, value in ui().items())
        self.lang = lang

    def __getattr__(self, key: str) -> str:  # a key ui.yaml lacks: the KeyError names it
        return ui()[key][self.lang]


@cache
def labels(lang: str) -> Labels:
    return Labels(lang)


def docs_path(page: str, lang: str) -> str:
    """``cases/x.md`` → ``cases/x.en.md`` for English (mkdocs-static-i18n suffix structure)."""
    return page if lang == "zh" else page[: -len(".md")] + f".{lang}.md"


def html_path(page: str) -> str:
    return page[: -len(".md")] + ".html"


@cache
def _up(folder: str) -> str:
    return "../" * (folder.count("/") + 1) if folder else ""


def rel_url(from_page: str, to_page: str) -> str:
    """The relative URL from one generated page to another (both given as ``dir/x.md``)."""
    return _rel_from(posixpath.dirname(from_page), to_page)


@cache
def _rel_from(here: str, to_page: str) -> str:
    target = html_path(to_page)
    there = posixpath.dirname(target)
    if here == there:
        return target[len(there) + 1 :] if there else target
    if here and target.startswith(here + "/"):
        return target[len(here) + 1 :]
    return _up(here) + target


def case_page(case_id: str) -> str:
    return f"cases/{case_id}.md"


def region_page(code: str) -> str:
    return f"regions/{code}.md"


def paginate(items: list, size: int = PAGE_SIZE) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def paged_name(base: str, n: int) -> str:
    """Page ``n`` (1-based) of a listing: ``groups/couriers.md``, ``groups/couriers-p2.md`` …"""
    return base if n == 1 else base[: -len(".md")] + f"-p{n}.md"


@dataclass
class Ctx:
    """What every template gets: the language, labels, vocabularies and a link helper bound to the page."""

    lang: str
    page: str
    catalog: Catalog
    options: dict

    @property
    def t(self) -> Labels:
        return labels(self.lang)

    def label(self, key: str) -> str:
        return ui()[key][self.lang]

    def items(self, cases: list[Case]) -> Markup:
        """The entries of a listing, each followed by a line break (a case is listed in a dozen listings)."""
        fragment = self.fragment
        return _lines([fragment("case_item", case.id, case) for case in cases])

    def topic_items(self, cases: list[Case], topic: str) -> Markup:
        """A topic's listing: each case's entry with the names of its measures that carry the topic."""
        fragment, line = self.fragment, environment(self.lang).globals["m"].measure_line
        out = []
        for case in cases:
            item = fragment("case_item", case.id, case)
            measures = line(case, topic, self)
            out.append(Markup(item[: -len("</li>")]) + measures + Markup("</li>") if measures else item)
        return _lines(out)

    def related_items(self, related: list[tuple[Case, str]]) -> Markup:
        """A case's related cases, each followed by a line break."""
        fragment = self.fragment
        return _lines([fragment("related_item", (other.id, rel), other, rel) for other, rel in related])

    def chips(self, kind: str, modifier: str, slugs: list[str]) -> Markup:
        """A case's group or topic chips (``<li>`` each; a chip is rendered once per language)."""
        fragment = self.fragment
        return Markup("".join([fragment("chip", (kind, slug), kind, modifier, slug) for slug in slugs]))

    def fragment(self, macro: str, key, *args) -> Markup:
        """``macro(*args, c)`` from _macros.j2, rendered once per language and ``key``.

        For pieces many pages repeat (listing entries, breadcrumbs, chips, related cases): what
        they show depends only on the arguments (named by ``key``) and the language, and their
        links on the folder of the page. The macro is rendered once with link placeholders; each
        folder gets a copy with its own relative links."""
        cache = self.catalog.__dict__.setdefault("_fragment_cache", {})
        full = (macro, self.lang, self.folder, key)
        hit = cache.get(full)
        if hit is None:
            neutral = (macro, self.lang, None, key)
            text = cache.get(neutral)
            if text is None:
                ctx = _LinkPlaceholders(self.lang, self.page, self.catalog, self.options)
                text = cache[neutral] = getattr(environment(self.lang).globals["m"], macro)(*args, ctx)
            folder = self.folder
            hit = cache[full] = Markup(_PLACEHOLDER.sub(lambda m: _rel_from(folder, m[1]), text))
        return hit

    def url(self, to_page: str) -> str:
        return _rel_from(self.folder, to_page)

    @cached_property
    def folder(self) -> str:
        return posixpath.dirname(self.page)

    def asset(self, path: str) -> str:
        """A URL to a file at the site root (assets, data); English pages sit one level deeper."""
        depth = self.page.count("/") + (1 if self.lang != "zh" else 0)
        return "../" * depth + path

    def other_lang_root(self) -> str:
        return self.asset("")

    def term(self, kind: str, slug: str) -> str:
        return vocabulary(kind).get(slug).label(self.lang)

    def place_name(self, place) -> str:
        return place.name if self.lang == "zh" else place.name_en

    def place_line(self, case: Case) -> str:
        """A case's place at every level, as each language writes an address: 贵州省 遵义市 仁怀市 五马镇
        from the province down; "Wuma Town, Renhuai City, Zunyi City, Guizhou" from the unit up."""
        if self.lang == "zh":
            return " ".join([p.name for p in case.region])
        return ", ".join([self.place_name(p) for p in reversed(case.region)])

    def text(self, case: Case, field: str, index: int | None = None) -> tuple[str, bool]:
        """A case's text in the page language, and whether it is an untranslated fallback."""
        if self.lang == "zh":
            return _zh_text(case, field, index), False
        en = case.en
        if en is not None:
            if field == "title":
                return en.title, False
            if field == "summary" and en.summary:
                return en.summary, False
            if field == "model" and en.model:
                return en.model, False
            if field in ("measure_text", "measure_name") and index is not None and index < len(en.measures):
                name, text = en.measures[index]
                if field == "measure_text":
                    return text, False
                if name:
                    return name, False
        value = _zh_text(case, field, index)
        return value, bool(value)

    def translated(self, case: Case) -> bool:
        """Whether the page language has the case's summary (English may give only a title and model)."""
        return self.lang == "zh" or (case.en is not None and case.en.summary is not None)


def _lines(entries: list[Markup]) -> Markup:
    return Markup("\n".join(entries) + "\n") if entries else Markup("")


# A link target in a fragment rendered for any folder: a tag, which escaped record text cannot
# contain (its target is escaped, and escaping commutes with making the link relative).
_PLACEHOLDER = re.compile(r"<cb-link ([^<>]*)>")


class _LinkPlaceholders(Ctx):
    def url(self, to_page: str) -> Markup:
        return Markup("<cb-link {}>").format(to_page)


def _zh_text(case: Case, field: str, index: int | None) -> str:
    if field == "title":
        return case.title
    if field == "summary":
        return case.summary
    if field == "model":
        return case.model_name
    if field == "measure_text":
        return case.measures[index or 0].text
    if field == "measure_name":
        return case.measures[index or 0].name or ""
    raise KeyError(field)


# --- figures and citations ------------------------------------------------------------------------


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def fmt_date(d: str | None, lang: str) -> str:
    """2022 / 2022-12 / 2022-12-06 as readers of the page's language write them."""
    if not d:
        return ""
    parts = [int(x) for x in d.split("-")]
    if lang == "zh":
        return "".join(f"{v}{u}" for v, u in zip(parts, "年月日", strict=False))
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"


def fmt_number(x: float | None, lang: str) -> str:
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}" if lang == "en" else f"{x:,}"


def unit_label(unit: str, lang: str) -> Markup:
    """The unit in the page language; on English pages a unit with no English label stays Chinese, marked."""
    if lang == "zh":
        return Markup.escape(unit)
    return casepage.unit_en(unit)


def amount_text(a, unit: str, lang: str) -> Markup:
    """A value as readers of the page's language read it, qualifiers in words (casebook/casepage.py):
    "3万余次", "近600个", "9.46亿元" / "more than 30,000 times", "nearly 600", "946 million yuan"."""
    return casepage.amount_text(a, unit, lang)


def figure_value(f: Figure, lang: str) -> Markup:
    return casepage.figure_text(f, lang)


def citation(s: Source, lang: str) -> str:
    """A ready-to-copy citation line. Parts not printed in the source (inferred) are in square
    brackets, as GB/T 7714 writes supplied data; the page explains the brackets beside the line."""

    def part(field: str, value: str | None) -> str | None:
        if not value:
            return None
        return f"[{value}]" if field in s.inferred else value

    outlet = part("publication", s.publication) or part("issuer", s.issuer)
    if outlet is None:
        outlet = "（报刊名未印出）" if lang == "zh" else "(publication not printed)"
    if lang == "zh":
        bits = [part("author", s.author), f"《{s.title}》" if s.kind != "briefing" else f"《{s.title}》", outlet]
        bits += [part("issue", s.issue), part("page", s.page), part("date", fmt_date(s.date, lang))]
        line = "，".join(b for b in bits if b)
        return line + (f"，{s.url}" if s.url else "") + "。"
    bits = [
        part("author", s.author),
        f"“{s.title}”",
        outlet,
        part("issue", s.issue),
        part("page", s.page),
        part("date", s.date),
    ]
    line = ", ".join(b for b in bits if b)
    return line + (f", {s.url}" if s.url else "") + "."


def meta_json(value: str) -> Markup:
    """A front-matter value, HTML-escaped once, as a JSON string (a YAML double-quoted scalar).

    The theme prints front matter with autoescape off (MkDocs' Jinja environment), in ``<title>``,
    ``<meta name="description" content="…">``, the header and the nav: so the value is stored
    already escaped (``& < > " '``), and the theme's raw print is the one escape. The text reads in
    the browser exactly as in the record (``&lt;`` in a record shows as ``&lt;``). Characters YAML
    would refuse or read as a line break go as ``\\uXXXX``. Policy: docs-notes/escaping.md."""
    text = json.dumps(str(Markup.escape(value)), ensure_ascii=False)
    return Markup(_YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text))


# Characters YAML does not accept in a document (C1 controls, surrogates, U+FFFE/U+FFFF) or reads as a
# line break inside a quoted scalar (NEL, LINE and PARAGRAPH SEPARATOR); json.dumps escapes C0 controls.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


# --- the environment -------------------------------------------------------------------------------


class _Context(jinja2.runtime.Context):
    """Jinja's template context, with a shorter path for calls to plain functions.

    ``Context.call`` inspects every callable for ``pass_context`` and the like, and a case page
    makes about seventy calls. Our helpers, our classes' methods (:func:`_plain_callables`) and
    builtins such as ``str.split`` take no such argument and are called directly."""

    def call(__self, __obj, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, N805
        if type(__obj) is BuiltinFunctionType or getattr(__obj, "__func__", __obj) in _plain_callables():
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


@cache
def _plain_callables() -> frozenset:
    """Our helpers and the methods of our classes that templates call (none takes Jinja's context)."""
    classes = [Ctx, _LinkPlaceholders, Case, Source, RegionNode, Catalog, Term]
    methods = [f for cls in classes for f in vars(cls).values() if inspect.isfunction(f)]
    return frozenset([*methods, *_helpers().values()])


class _Precompute(jinja2.ext.Extension):
    """Work done once, when a template is compiled, instead of on every page.

    - ``{{ t.key }}`` and ``{{ c.t.key }}`` become the label itself, escaped: in one language's
      environment the interface labels are constants (a case page shows about thirty).
    - The raw-block fences (:func:`rawblocks.mark`) go around the template's top-level
      ``<div class="cb-…">`` blocks, where the page would get them: the templates build every
      such block from literal tags (tests check each page is fenced as ``mark`` fences it)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        lang = self.environment.casebook_lang  # type: ignore[attr-defined]
        source = _LABEL_OUTPUT.sub(lambda m: _template_text(ui()[m[1]][lang]) or m[0], source)
        return mark(source) if name and name.endswith(".md.j2") else source


_LABEL_OUTPUT = re.compile(r"\{\{ (?:c\.)?t\.(\w+) \}\}")


def _template_text(text: str) -> str | None:
    """Template source that outputs ``text`` as ``{{ }}`` would; None if it would read as template syntax."""
    escaped = str(Markup.escape(text))
    return None if "{" in escaped or "\r" in escaped else escaped


@cache
def environment(lang: str = "zh") -> jinja2.Environment:
    """The template environment of one language."""
    env = jinja2.Environment(
        extensions=[_Precompute],
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        auto_reload=False,  # no stat() per page; generate() starts from a fresh environment instead
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.context_class = _Context
    env.casebook_lang = lang  # type: ignore[attr-defined]
    env.filters["meta_json"] = meta_json
    env.globals.update(_helpers())
    env.globals["m"] = env.get_template("_macros.j2").module
    return env


@cache
def _helpers() -> dict:
    """The functions templates call besides the methods of :class:`Ctx`."""
    return dict(
        figure_value=figure_value,
        amount_text=amount_text,
        citation=citation,
        fmt_number=fmt_number,
        fmt_date=fmt_date,
        vocabulary=vocabulary,
        model_kinds=model_kinds,
        paged_name=paged_name,
        case_page=case_page,
        region_page=region_page,
        shared_source=shared_source,
        # listings, regions and the home page (casebook/listings.py, casebook/tilemap.py)
        topic_measures=listings.topic_measures,
        excerpt=listings.excerpt,
        tilemap_tiles=tilemap.tiles,
        # figures views (casebook/figures.py)
        sort_value=figures.sort_value,
        number_attr=figures.number_attr,
        # the case page (casebook/casepage.py)
        figure_text=casepage.figure_text,
        printed_differs=casepage.printed_differs,
        figure_groups=casepage.figure_groups,
        linked_measures=casepage.linked_measures,
        several_sources=casepage.several_sources,
        source_number=casepage.source_number,
        year_linked=casepage.year_linked,
        section_ids=casepage.section_ids,
        in_chinese=casepage.in_chinese,
        canonical_url=casepage.canonical_url,
    )


def render(template: str, ctx: Ctx, **kw) -> str:
    return environment(ctx.lang).get_template(template).render(c=ctx, t=ctx.t, lang=ctx.lang, **kw)


# --- pages -----------------------------------------------------------------------------------------

INDEX_KINDS = [
    # (folder, label key, vocabulary kind or None, catalog attribute)
    ("groups", "groups", "groups", "by_group"),
    ("topics", "topics", "topics", "by_topic"),
    ("themes", "themes", "themes", "by_theme"),
    ("models", "models", "model-kinds", "by_kind"),
    ("actor-levels", "actor_levels", "actor-levels", "by_actor_level"),
    ("years", "years", None, "by_year"),
]
SOURCE_INDEX_SIZE = 200


def _paged(
    template: str,
    base: str,
    items: list,
    lang: str,
    catalog: Catalog,
    options: dict,
    *,
    size: int = PAGE_SIZE,
    name: str = "cases",
    **kw,
) -> Iterator[tuple[str, str]]:
    """A listing split into pages of ``size``: ``base``, ``base-p2`` …, each rendered with its slice as ``name``."""
    chunks = paginate(items, size)
    for n, chunk in enumerate(chunks, 1):
        page = paged_name(base, n)
        ctx = Ctx(lang, page, catalog, options)
        yield (
            page,
            render(template, ctx, **{name: chunk}, total=len(items), pageno=n, pages=len(chunks), base=base, **kw),
        )


def _listing_pages(
    folder: str, key: str, title: str, cases: list[Case], lang: str, catalog: Catalog, options: dict, extra: dict
) -> Iterator[tuple[str, str]]:
    plan = figures.plan(catalog, f"{folder}/{key}.md", cases)  # its figures view (casebook/figures.py)
    yield from _paged(
        "listing.md.j2",
        f"{folder}/{key}.md",
        cases,
        lang,
        catalog,
        options,
        folder=folder,
        key=key,
        title=title,
        figplan=plan,
        **extra,
    )
    # a source's title is Chinese on every page
    yield from figures.view_pages(plan, title, "zh" if extra.get("source") else lang, lang, catalog, options)


def _term_title(lang: str, vocab_kind: str | None, key: str) -> str:
    return vocabulary(vocab_kind).get(key).label(lang) if vocab_kind else key


def _definition(lang: str, vocab_kind: str | None, key: str) -> str | None:
    """A category's one-line definition (the vocabulary's ``definition``), shown on its listing."""
    definition = vocabulary(vocab_kind).get(key).extra.get("definition") if vocab_kind else None
    return definition[lang] if definition else None


def pages(catalog: Catalog, lang: str, options: dict | None = None) -> Iterator[tuple[str, str]]:
    """Every generated page of one language as (docs path without language suffix, Markdown)."""
    yield from case_pages(catalog, lang, options)
    yield from index_pages(catalog, lang, options)


def case_pages(catalog: Catalog, lang: str, options: dict | None = None) -> Iterator[tuple[str, str]]:
    """A page per case (the only pages that show related cases)."""
    options = options or {}
    for case in catalog.all_records:
        page = case_page(case.id)
        ctx = Ctx(lang, page, catalog, options)
        yield page, render("case.md.j2", ctx, case=case, related=catalog.related.get(case.id, []))


def index_pages(catalog: Catalog, lang: str, options: dict | None = None) -> Iterator[tuple[str, str]]:
    """The home page and every index: listings, regions, vocabularies, years, sources."""
    options = options or {}
    ctx = lambda page: Ctx(lang, page, catalog, options)  # noqa: E731
    yield "index.md", render("home.md.j2", ctx("index.md"))
    # All cases, paginated.
    yield from _listing_pages(
        "cases",
        RESERVED_CASE_PAGES[0],
        labels(lang).all_cases,
        catalog.cases,
        lang,
        catalog,
        options,
        {"kind": None, "source": None, "definition": None},
    )
    # Region tree and a page per unit.
    yield "regions/index.md", render("regions.md.j2", ctx("regions/index.md"))
    for node in _walk_regions(catalog.regions.values()):
        yield from _region_pages(node, lang, catalog, options)
    # Vocabulary, kind, year and source indexes.
    for folder, label, vocab_kind, attr in INDEX_KINDS:
        groups: dict[str, list[Case]] = getattr(catalog, attr)
        yield (
            f"{folder}/index.md",
            render(
                "term_index.md.j2",
                ctx(f"{folder}/index.md"),
                folder=folder,
                label=label,
                vocab_kind=vocab_kind,
                groups=groups,
            ),
        )
        for key, cases in groups.items():
            title = _term_title(lang, vocab_kind, key)
            extra = {"kind": folder, "source": None, "definition": _definition(lang, vocab_kind, key)}
            yield from _listing_pages(folder, key, title, cases, lang, catalog, options, extra)
    yield from _source_pages(catalog, lang, options)


def shared_source(catalog: Catalog, slug: str) -> bool:
    """A source document gets a page of its own when several cases cite it; otherwise the citing
    case's source section is its page (this keeps the page count linear in cases, not cases + sources)."""
    return len(catalog.by_source.get(slug, ())) > 1


def _source_pages(catalog: Catalog, lang: str, options: dict) -> Iterator[tuple[str, str]]:
    entries = sorted(
        catalog.by_source.items(),
        key=lambda kv: (-int(catalog.sources[kv[0]].date[:4]), catalog.sources[kv[0]].date, kv[0]),
    )
    yield from _paged(
        "sources_index.md.j2",
        "sources/index.md",
        entries,
        lang,
        catalog,
        options,
        size=SOURCE_INDEX_SIZE,
        name="entries",
    )
    for slug, cases in catalog.by_source.items():
        if shared_source(catalog, slug):
            extra = {"kind": "sources", "source": catalog.sources[slug], "definition": None}
            yield from _listing_pages(
                "sources", slug, catalog.sources[slug].title, cases, lang, catalog, options, extra
            )


def _walk_regions(nodes) -> Iterator[RegionNode]:
    for n in nodes:
        yield n
        yield from _walk_regions(n.sorted_children())


def _region_pages(node: RegionNode, lang: str, catalog: Catalog, options: dict) -> Iterator[tuple[str, str]]:
    cases = listings.region_cases(catalog, node)  # the unit's own cases first
    trail = _trail(catalog, node)
    table = listings.county_table(node) if node.place.level == "province" else None
    nearby = listings.nearby(catalog, node, trail)
    plan = figures.plan(catalog, region_page(node.place.code), cases)
    yield from _paged(
        "region.md.j2",
        region_page(node.place.code),
        cases,
        lang,
        catalog,
        options,
        node=node,
        trail=trail,
        table=table,
        nearby=nearby,
        figplan=plan,
    )
    name = Ctx(lang, "", catalog, options).place_name(node.place)
    yield from figures.view_pages(plan, name, lang, lang, catalog, options)  # the figures view (casebook/figures.py)


def _trail(catalog: Catalog, node: RegionNode) -> list:
    """The chain of places from the province down to ``node`` (for the breadcrumb)."""
    case = next(iter(node.all_cases()), None)
    if case is None:
        return [node.place]
    out = []
    for p in case.region:
        out.append(p)
        if p.code == node.place.code:
            break
    return out
