"""Full-text search for the built site: Pagefind indexes per language, made to work for Chinese.

Pagefind 1.5 splits Chinese text into words with jieba when indexing but splits the query with the
browser's ``Intl.Segmenter`` (one character at a time in Chromium), so a query such as 外卖骑手
matches nothing (docs-notes/search.md). Here the index and the query agree on the unit instead:
every Han character is indexed as a word of its own, and the browser script
(docs/assets/search.js) sends a Chinese query as a quoted phrase of single characters.

For each language root (``site/`` for Chinese, ``site/en/`` for English) :func:`index_site`

1. reads ``search/facets.json`` (written by the generator, casebook/facets.py): the searchable
   cases and their order;
2. writes, into a temporary folder, one small HTML document per case made from the case page's
   ``data-pagefind-body`` blocks, in ranking order: title and model (with its parts and kinds),
   an anchor, the measures, an anchor, then the rest (summary, figures, quotes) and, after a mark,
   the page furniture (region, facts, groups), which excerpts leave out. Fields are three
   separator words apart (FIELD_SEP), so no match runs from one field into the next. A Han character is followed by U+200B in Chinese (jieba splits there, and pagefind.js
   drops the character again) and surrounded by spaces in English (whose tokenizer splits on
   spaces); quotation marks inside names are left out (Pagefind counts them as words);
3. runs the Pagefind CLI on shards of :data:`SHARD_SIZE` cases into ``<root>/pagefind/`` (shard 0,
   with the script and WebAssembly) and ``<root>/pagefind/s1/`` …, and removes what the site does
   not load (Pagefind's ready-made UIs);
4. writes ``search/pagefind-map.json``: the number of shards and, for every case in facets order,
   its Pagefind result id and the word positions where its head and its measures end. A quoted
   phrase comes back from Pagefind unranked, with the position of its first match only; since the
   indexed document is in ranking order, that position tells whether the phrase is in the title
   or model, in the measures, or elsewhere, which is how the script ranks;
5. writes ``search/t2s.json``: traditional → simplified characters from OpenCC's data (npm
   opencc-js), limited to simplified characters that occur in the indexed text (司機之家 → 司机之家).

The output is byte-identical from one run to the next for the same input (tests/test_search.py;
three runs over 10,000 cases gave identical files, see docs-notes/search.md).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FORMAT = 1
LANG_ROOTS = (("zh", ""), ("en", "en"))
BUNDLE = "pagefind"
MAP_FILE = "search/pagefind-map.json"
T2S_FILE = "search/t2s.json"
FACETS_FILE = "search/facets.json"
# Pagefind's bundle files the site never loads (its ready-made UIs and the highlight script).
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
HEAD_END = "cb-head-end"
MEASURES_END = "cb-measures-end"
# Cases per Pagefind index (shard). Pagefind's quoted-phrase search costs grow faster than the
# number of pages that match (about a second for a phrase found on most of 10,000 cases in one
# index); shards of 500, merged in the browser (mergeIndex), answer the same phrase in well under
# 100 ms once their index chunks are loaded. More shards mean more chunk files per query word.
SHARD_SIZE = 500
# A shard beyond the first needs only its index: the script and WebAssembly come from the first.
SHARD_UNUSED = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", "wasm.en.pagefind")

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"([{HAN}])")
_TAG_RE = re.compile(r"(<[^>]*>)")
# Closing tags after which a word boundary belongs (Pagefind would otherwise glue "Model" to the
# value that follows it in <dt>Model</dt><dd>…).
_BLOCK_END_RE = re.compile(r"(</(?:dt|dd|li|td|th|p|h1|h2|h3|strong|a|span|blockquote|footer|nav|div)>)")
ZWSP = "\u200b"
# Between two fields of the indexed document (after each closing block or inline tag): three
# separator words, so that neither a phrase nor a loose match (docs/assets/search.js: characters at
# most 3 words apart) runs from one field into the next. Pagefind gives a punctuation word a
# position but indexes nothing for it; the search script shows a run of them as one " · " in an
# excerpt.
FIELD_SEP = "\u00a6"
_FIELD_GAP = f" {FIELD_SEP} {FIELD_SEP} {FIELD_SEP} "
# Before the page furniture at the end of the indexed document (breadcrumb, facts, chips): excerpts
# stop here, so they never show it; it stays searchable (tier "elsewhere").
META_MARK = "\u2042"
# Quotation marks and dots that sit inside Chinese names (“三家”工程, 红润五华·新新向融). Pagefind
# counts every punctuation mark as a word position, so they would break a phrase typed without
# them; they are left out of the indexed text (and so of excerpts). docs/assets/search.js drops the
# same characters from queries.
NAME_MARKS = "\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009\u00b7\u30fb\u2022"
_DROP_MARKS = {ord(c): None for c in NAME_MARKS}


class SearchIndexError(RuntimeError):
    """The site cannot be indexed (missing page, Pagefind failure)."""


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


class _HanSplitter(dict):
    """A str.translate table: a Han character → itself followed or surrounded by a separator."""

    def __init__(self, before: str, after: str):
        super().__init__()
        self.before, self.after = before, after

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        value = f"{self.before}{ch}{self.after}" if _HAN_RE.match(ch) else ch
        self[cp] = value
        return value


_SPLITTERS = {"zh": _HanSplitter("", ZWSP), "en": _HanSplitter(" ", " ")}


def split_han(fragment: str, lang: str, fields: bool = False) -> str:
    """Make every Han character a word of its own in the text (not the tags) of an HTML fragment;
    with ``fields``, put :data:`FIELD_SEP` words between fields (as the indexed documents have)."""
    out = []
    gap = _FIELD_GAP if fields else " "
    for part in _TAG_RE.split(_BLOCK_END_RE.sub(lambda m: gap + m.group(1), fragment)):
        if part.startswith("<"):
            out.append(part)
        else:
            out.append(part.translate(_DROP_MARKS).translate(_SPLITTERS["zh" if lang == "zh" else "en"]))
    return "".join(out)


_STRIP_TAGS = re.compile(r"<[^>]*>")


def plain_text(fragment: str) -> str:
    return html.unescape(_STRIP_TAGS.sub(" ", fragment))


# Page furniture that is the same on every case page (labels, the translation notice, the
# breadcrumb's first link "地区"/"Regions", table headers): left out of the index.
_FURNITURE = [
    re.compile(r"<dt\b[^>]*>.*?</dt>", re.S),
    re.compile(r"<thead\b[^>]*>.*?</thead>", re.S),
    re.compile(r'<p class="cb-notice[^"]*"[^>]*>.*?</p>', re.S),
    re.compile(r'<span class="cb-prov[^"]*"[^>]*>.*?</span>', re.S),  # 编者概括, 推断: provenance labels
]
_BREADCRUMB_HOME = re.compile(r'(<nav class="cb-breadcrumb"[^>]*>)\s*<a\b[^>]*>.*?</a>', re.S)


def strip_furniture(fragment: str) -> str:
    for pattern in _FURNITURE:
        fragment = pattern.sub(" ", fragment)
    return _BREADCRUMB_HOME.sub(r"\1", fragment)


_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
_MODEL_DD = re.compile(r"<dd\b[^>]*>(?:(?!</dd>).)*?class=\"cb-model\".*?</dd>", re.S)
# <nav> → <div> (Pagefind skips navigation); <h1>…<h6> → <div> (Pagefind stores heading words
# apart, with a weight, and a phrase's "first" match would then not be the earliest one).
_RETAG = re.compile(r"<(/?)(?:nav|h[1-6])\b")


def index_document(blocks: dict[str, str], title: str, lang: str) -> str:
    """The HTML Pagefind indexes for one case, in ranking order: the title and model (name, parts,
    kinds), then the measures, then the rest (summary, figures, quotes), then after
    :data:`META_MARK` the page furniture (region, facts, groups) that excerpts leave out.

    Anchors mark where the head and the measures end, so a result's first match position tells
    which part it is in. Navigation and heading elements become divs (see _RETAG)."""
    blocks = {k: strip_furniture(v) for k, v in blocks.items()}
    head = blocks.pop("cb-case-head", "")
    parts = []
    for pattern in (_H1, _MODEL_DD):
        m = pattern.search(head)
        if m:
            parts.append(m.group(0))
            head = head[: m.start()] + " " + head[m.end() :]
    parts = [_RETAG.sub(r"<\1div", p) for p in parts]
    head = _RETAG.sub(r"<\1div", head)
    blocks = {k: _RETAG.sub(r"<\1div", v) for k, v in blocks.items()}
    measures = blocks.pop("cb-measures", "")
    body = (
        "<div>"
        + split_han(" ".join(parts), lang, True)
        + f'</div><span id="{HEAD_END}"></span>'
        + "<div>"
        + split_han(measures, lang, True)
        + f'</div><span id="{MEASURES_END}"></span>'
        + "".join(split_han(v, lang, True) for v in blocks.values())
        + f"<div>{META_MARK}</div>"
        + split_han(head, lang, True)
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title></title></head><body>'
        f'<span data-pagefind-meta="title">{html.escape(title)}</span>'
        f"<main data-pagefind-body>{body}</main></body></html>\n"
    )


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


# --- Pagefind --------------------------------------------------------------------------------


def shard_path(bundle: Path, k: int) -> Path:
    """Shard 0 is ``pagefind/`` itself (with the script); shard k is ``pagefind/s<k>/``."""
    return bundle if k == 0 else bundle / f"s{k}"


def run_pagefind(source: Path, output: Path) -> None:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(output), "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({proc.returncode}): {proc.stdout}{proc.stderr}")


def read_fragment(path: Path) -> dict:
    data = gzip.decompress(path.read_bytes())
    if data.startswith(b"pagefind_dcd"):
        data = data[len(b"pagefind_dcd") :]
    return json.loads(data)


def _json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def index_language(root: Path, lang: str, cache: Path | None = None) -> dict:
    """Index the cases listed in ``root``/search/facets.json; return a summary.

    With ``cache`` (a folder kept between calls, as ``mkdocs serve`` does), a shard whose indexed
    documents are unchanged reuses its previous Pagefind output: editing one record re-runs
    Pagefind on one shard of each language, not on all of them.
    """
    facets_path = root / FACETS_FILE
    facets = json.loads(facets_path.read_text(encoding="utf-8"))
    rows = facets["c"]
    bundle = root / BUNDLE
    site_chars: set[str] = set()
    docs: list[tuple[str, str]] = []
    for row in rows:
        case_id, title = row[0], row[1]
        page = root / "cases" / f"{case_id}.html"
        if not page.is_file():
            raise SearchIndexError(f"{page} is missing (listed in {facets_path})")
        blocks = body_blocks(page.read_text(encoding="utf-8"))
        if "cb-measures" not in blocks:
            raise SearchIndexError(f"{page} has no data-pagefind-body measures block")
        site_chars.update(_HAN_RE.findall(plain_text("".join(blocks.values()))))
        site_chars.update(_HAN_RE.findall(title + row[2]))
        docs.append((case_id, index_document(blocks, title, lang)))
    if bundle.exists():
        shutil.rmtree(bundle)
    shards = max(1, -(-len(docs) // SHARD_SIZE))
    kept: set[str] = set()
    reused = 0
    for k in range(shards):  # shard 0 first: the others are folders inside it
        part = docs[k * SHARD_SIZE : (k + 1) * SHARD_SIZE]
        out = shard_path(bundle, k)
        digest = hashlib.sha256(f"{FORMAT}\x00{lang}\x00{k}\x00".encode())
        for case_id, doc in part:
            digest.update(f"{case_id}\x00{doc}\x00".encode())
        name = f"{lang}-{k}-{digest.hexdigest()[:20]}"
        kept.add(name)
        if cache is not None and (cache / name).is_dir():
            shutil.copytree(cache / name, out)
            reused += 1
            continue
        _index_shard(part, out, unused=UNUSED + (SHARD_UNUSED if k else ()))
        if cache is not None:
            tmp = cache / f".{name}.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(out, tmp, ignore=shutil.ignore_patterns("s[0-9]*") if k == 0 else None)
            tmp.rename(cache / name)
    if cache is not None:
        for old in cache.glob(f"{lang}-*"):
            if old.name not in kept:
                shutil.rmtree(old, ignore_errors=True)
    # Result ids (fragment hashes) and where each case's head and measures end, in facets order.
    by_url: dict[str, tuple[str, int, int]] = {}
    for k in range(shards):
        for frag in sorted((shard_path(bundle, k) / "fragment").glob("*.pf_fragment")):
            data = read_fragment(frag)
            anchors = {a.get("id"): a["location"] for a in data.get("anchors", [])}
            if HEAD_END not in anchors or MEASURES_END not in anchors:
                raise SearchIndexError(f"{frag}: no {HEAD_END}/{MEASURES_END} anchor")
            by_url[data["url"]] = (frag.name[: -len(".pf_fragment")], anchors[HEAD_END], anchors[MEASURES_END])
    ids, heads, ends = [], [], []
    for row in rows:
        hit = by_url.get(f"/cases/{row[0]}.html")
        if hit is None:
            raise SearchIndexError(f"Pagefind did not index {row[0]}")
        ids.append(hit[0])
        heads.append(hit[1])
        ends.append(hit[2])
    (root / MAP_FILE).write_bytes(
        _json_bytes({"v": FORMAT, "shards": shards, "ids": ids, "heads": heads, "ends": ends})
    )
    (root / T2S_FILE).write_bytes(_json_bytes(t2s_table(site_chars)))
    return {"lang": lang, "cases": len(rows), "shards": shards, "reused": reused}


def _index_shard(docs: list[tuple[str, str]], out: Path, unused: tuple[str, ...]) -> None:
    """Run Pagefind on one shard's documents, written to a temporary site, into ``out``."""
    with tempfile.TemporaryDirectory(prefix="casebook-pagefind-") as tmp:
        src = Path(tmp) / "site"
        (src / "cases").mkdir(parents=True)
        for case_id, doc in docs:
            (src / "cases" / f"{case_id}.html").write_text(doc, encoding="utf-8")
        if docs:
            run_pagefind(src, out)
        else:
            out.mkdir(parents=True)
    for name in unused:
        (out / name).unlink(missing_ok=True)


def index_site(site: Path, cache: Path | None = None) -> list[dict]:
    """Index the built ``site`` in place (every language that has a search/facets.json)."""
    site = Path(site)
    done = []
    for lang, sub in LANG_ROOTS:
        root = site / sub if sub else site
        if (root / FACETS_FILE).is_file():
            done.append(index_language(root, lang, cache))
    if not done:
        raise SearchIndexError(f"{site}: no {FACETS_FILE} (was the site built by casebook?)")
    return done


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m casebook.search SITE_DIR", file=sys.stderr)
        return 2
    for d in index_site(Path(args[0])):
        print(f"{d['lang']}: {d['cases']} cases indexed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
