"""Full-text search for the built site: our own index of character pairs (casebook/searchindex.py).

Pagefind 1.5, used before, splits Chinese text with jieba when indexing but the query with the
browser's ``Intl.Segmenter``, so 外卖骑手 matched nothing; once made to agree (one word per Han
character) its phrase search fetched and scanned every match of every character across shards, too
slow at 10,000 cases (docs-notes/search.md). The index here is shaped for Chinese phrases instead.

For each language root (``site/`` for Chinese, ``site/en/`` for English) :func:`index_language`

1. reads ``search/facets.json`` (written by the generator, casebook/facets.py): the searchable
   cases and their order ("facets order");
2. reads each case page's ``data-pagefind-body`` blocks (the attribute name is kept from Pagefind:
   it marks what is searchable) and makes one document per case in ranking order (:func:`case_document`):
   title and model (with its parts and kinds), the measures, the rest (summary, figures, quotes),
   then the page furniture (region, facts, groups), which excerpts leave out. Fields are three
   separator positions apart (:data:`FIELD_SEP`), so no match runs from one field into the next;
3. writes the index (``search/index.json``, ``search/index/*.cbx``, casebook/searchindex.py) and,
   per case, the text excerpts are cut from (``search/text/<id>.cbx``: measures and the rest, with
   quotation marks as printed);
4. writes ``search/t2s.json``: traditional → simplified characters from OpenCC's data (npm
   opencc-js), limited to simplified characters that occur in the indexed text (司機之家 → 司机之家).

``casebook build`` runs this on the generated pages (``docs/``) in a process of its own while MkDocs
builds (:func:`index_docs`); ``mkdocs serve`` runs it on the built site (:func:`index_site`). Both give
the same bytes, and the same input gives the same bytes every run (tests/test_search.py).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path

from . import facets
from .searchindex import (
    INDEX_DIR,
    META_FILE,
    TEXT_DIR,
    Document,
    SearchIndexError,
    json_bytes,
    write_index,
    write_texts,
)

LANG_ROOTS = (("zh", ""), ("en", "en"))
FACETS_FILE = "search/facets.json"
T2S_FILE = "search/t2s.json"
# Everything the index writes under a language root (replaced as a whole on each run).
OUTPUTS = (INDEX_DIR, TEXT_DIR, META_FILE, T2S_FILE)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"([{HAN}])")
# Where one field ends and the next begins: the end of a block or inline element that holds one
# piece of the page (a measure, a figure's cell, a chip).
_BLOCK_END_RE = re.compile(r"(</(?:dt|dd|li|td|th|p|h1|h2|h3|strong|a|span|blockquote|footer|nav|div)>)")
# The separator between fields (U+00A6 BROKEN BAR, never typed in a query), three positions wide.
FIELD_SEP = "\u00a6"
_FIELD_GAP = f" {FIELD_SEP} {FIELD_SEP} {FIELD_SEP} "


__all__ = ["SearchIndexError", "index_docs", "index_language", "index_site", "install"]


# --- reading the case pages -------------------------------------------------------------------


_BODY_OPEN = re.compile(r"<([a-z][a-z0-9]*)\b([^>]*\sdata-pagefind-body\b[^>]*)>")
_CLASS = re.compile(r'\sclass="([^"]*)"')


def body_blocks(page_html: str) -> dict[str, str]:
    """The page's ``data-pagefind-body`` blocks keyed by their first class name (cb-measures, …)."""
    out: dict[str, str] = {}
    pos = 0
    while True:
        m = _BODY_OPEN.search(page_html, pos)
        if m is None:
            return out
        tag = m.group(1)
        tokens = re.compile(f"<(/?){tag}\\b[^>]*>")
        depth, at, inner_end = 1, m.end(), None
        for t in tokens.finditer(page_html, m.end()):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                inner_end, at = t.start(), t.end()
                break
        if inner_end is None:
            raise SearchIndexError(f"unclosed <{tag} data-pagefind-body>")
        cls = _CLASS.search(" " + m.group(2))
        key = cls.group(1).split()[0] if cls and cls.group(1).split() else f"block{len(out)}"
        out[key] = out.get(key, "") + page_html[m.end() : inner_end]
        pos = at


_STRIP_TAGS = re.compile(r"<[^>]*>")


# Page furniture that is the same on every case page (labels, the translation notice, the
# breadcrumb's first link "地区"/"Regions", table headers): left out of the index.
_FURNITURE = [
    re.compile(r"<dt\b[^>]*>.*?</dt>", re.S),
    re.compile(r"<thead\b[^>]*>.*?</thead>", re.S),
    re.compile(r'<p class="cb-notice[^"]*"[^>]*>.*?</p>', re.S),
    re.compile(r'<span class="cb-prov[^"]*"[^>]*>.*?</span>', re.S),  # 编者概括, 推断: provenance labels
    # not content (as Pagefind, used before, left them out): a quote's speaker line, scripts, forms
    re.compile(r"<(footer|script|noscript|style|template|form|label|svg)\b[^>]*>.*?</\1>", re.S),
]
_BREADCRUMB_HOME = re.compile(r'(<nav class="cb-breadcrumb"[^>]*>)\s*<a\b[^>]*>.*?</a>', re.S)


def strip_furniture(fragment: str) -> str:
    for pattern in _FURNITURE:
        fragment = pattern.sub(" ", fragment)
    return _BREADCRUMB_HOME.sub(r"\1", fragment)


_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
_MODEL_DD = re.compile(r"<dd\b[^>]*>(?:(?!</dd>).)*?class=\"cb-model\".*?</dd>", re.S)
_SPACE = re.compile(r"\s+")


def fields_text(fragment: str) -> str:
    """The text of an HTML fragment, fields :data:`FIELD_SEP` apart, white space collapsed."""
    text = _BLOCK_END_RE.sub(lambda m: _FIELD_GAP + m.group(1), fragment)
    return _SPACE.sub(" ", html.unescape(_STRIP_TAGS.sub(" ", text))).strip()


def case_document(blocks: dict[str, str]) -> tuple[Document, list[str]]:
    """One case's indexed document, and the text excerpts are cut from: [measures, the rest], as
    printed (quotation marks kept), fields :data:`FIELD_SEP` apart."""
    blocks = {k: strip_furniture(v) for k, v in blocks.items()}
    head = blocks.pop("cb-case-head", "")
    parts = []
    for pattern in (_H1, _MODEL_DD):
        m = pattern.search(head)
        if m:
            parts.append(m.group(0))
            head = head[: m.start()] + " " + head[m.end() :]
    measures = fields_text(blocks.pop("cb-measures", ""))
    rest = fields_text(" ".join(blocks.values()))
    doc = Document(head=fields_text(" ".join(parts)), measures=measures, rest=rest, furniture=fields_text(head))
    return doc, [measures, rest]


# --- traditional → simplified ------------------------------------------------------------------


def opencc_dir() -> Path:
    """OpenCC's dictionaries as shipped by the npm package opencc-js (package.json)."""
    from .paths import project_root

    return project_root() / "node_modules" / "opencc-js" / "dist" / "esm-lib" / "dict"


def _opencc_table() -> dict[str, str]:
    """OpenCC's traditional → simplified characters (first candidate), with TW/HK variants folded in."""
    folder = opencc_dir()
    if not folder.is_dir():
        raise SearchIndexError(f"找不到 OpenCC 数据 {folder}：请先运行 README 里的安装命令（npm ci）")

    def read(name: str) -> dict[str, str]:
        # export default "src dst dst2|src dst|…"
        text = (folder / f"{name}.js").read_text(encoding="utf-8")
        body = text[text.index('"') + 1 : text.rindex('"')]
        table = {}
        for entry in body.split("|"):
            bits = entry.split(" ")
            if len(bits) >= 2 and len(bits[0]) == 1 and len(bits[1]) == 1:
                table[bits[0]] = bits[1]
        return table

    ts = read("TSCharacters")
    out = dict(ts)
    for variants in ("TWVariantsRev", "HKVariantsRev"):
        for variant, trad in read(variants).items():
            simp = ts.get(trad, trad)
            if variant != simp:
                out.setdefault(variant, simp)
    return out


def t2s_table(site_chars: set[str]) -> dict[str, str]:
    """Traditional → simplified for the characters the site needs: the simplified one occurs on
    the site and the traditional one does not (a traditional character printed on the site stays
    searchable as itself)."""
    return {t: s for t, s in sorted(_opencc_table().items()) if t != s and s in site_chars and t not in site_chars}


# --- indexing -----------------------------------------------------------------------------------


def index_language(root: Path, lang: str, pages: Path | None = None, facets_path: Path | None = None) -> dict:
    """Index the cases listed in ``facets_path`` (default ``root``/search/facets.json) under the
    language root ``root``, replacing what an earlier run wrote there; return a summary.

    Pages are read from ``pages`` (default ``root``): ``cases/<id>.html`` of a built site, or, with
    ``pages`` a generated docs folder, ``cases/<id>.md`` (``<id>.en.md`` for English)."""
    facets_path = root / FACETS_FILE if facets_path is None else facets_path
    rows = facets.rows(json.loads(facets_path.read_text(encoding="utf-8")))
    from_docs = pages is not None
    pages = root if pages is None else pages
    suffix = (".md" if lang == "zh" else f".{lang}.md") if from_docs else ".html"
    texts: list[tuple[str, list[str]]] = []
    site_chars: set[str] = set()

    def documents():
        for row in rows:
            case_id = row[0]
            page = pages / "cases" / f"{case_id}{suffix}"
            try:
                blocks = body_blocks(page.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise SearchIndexError(f"{page} is missing (listed in {facets_path})") from None
            if "cb-measures" not in blocks:
                raise SearchIndexError(f"{page} has no data-pagefind-body measures block")
            doc, text = case_document(blocks)
            site_chars.update(_HAN_RE.findall(doc.head + doc.measures + doc.rest + doc.furniture))
            site_chars.update(_HAN_RE.findall(row[1] + row[2]))
            texts.append((case_id, text))
            yield doc

    for name in OUTPUTS:
        target = root / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    meta = write_index(documents(), root)
    write_texts(root, texts)
    (root / T2S_FILE).write_bytes(json_bytes(t2s_table(site_chars)))
    return {"lang": lang, "cases": len(rows), "files": {f: meta[f] for f in ("e", "u", "l")}}


def index_site(site: Path) -> list[dict]:
    """Index the built ``site`` in place (every language that has a search/facets.json)."""
    site = Path(site)
    done = []
    for lang, sub in LANG_ROOTS:
        root = site / sub if sub else site
        if (root / FACETS_FILE).is_file():
            done.append(index_language(root, lang))
    if not done:
        raise SearchIndexError(f"{site}: no {FACETS_FILE} (was the site built by casebook?)")
    return done


def index_docs(docs: Path, out: Path) -> list[dict]:
    """Index the generated pages in ``docs`` (before MkDocs has built them) into ``out``, laid out
    as the site is (``out/search/…``, ``out/en/search/…``): :func:`install` moves it in."""
    docs, out = Path(docs), Path(out)
    done = []
    for lang, sub in LANG_ROOTS:
        facets = docs / ("search/facets.json" if lang == "zh" else f"search/facets.{lang}.json")
        if not facets.is_file():
            continue
        root = out / sub if sub else out
        (root / "search").mkdir(parents=True, exist_ok=True)
        done.append(index_language(root, lang, pages=docs, facets_path=facets))
    if not done:
        raise SearchIndexError(f"{docs}: no {FACETS_FILE} (was it generated by casebook?)")
    return done


def install(staged: Path, site: Path) -> None:
    """Move what :func:`index_docs` wrote into the built ``site`` (same layout)."""
    for _lang, sub in LANG_ROOTS:
        src = staged / sub if sub else staged
        dst = site / sub if sub else site
        for name in OUTPUTS:
            if (src / name).exists():
                if (dst / name).exists():
                    raise SearchIndexError(f"{dst / name} exists already")
                (dst / name).parent.mkdir(parents=True, exist_ok=True)
                (src / name).rename(dst / name)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    try:
        if len(args) == 1:
            done = index_site(Path(args[0]))
        elif len(args) == 3 and args[0] == "--docs":
            done = index_docs(Path(args[1]), Path(args[2]))
        else:
            print("usage: python -m casebook.search SITE_DIR | --docs DOCS_DIR OUT_DIR", file=sys.stderr)
            return 2
    except SearchIndexError as exc:
        print(f"搜索索引失败：{exc}", file=sys.stderr)
        return 1
    for d in done:
        print(f"{d['lang']}: {d['cases']} cases indexed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
