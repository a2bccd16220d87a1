"""The search index: character pairs with positions, cut into small files the browser fetches.

Chinese has no spaces, and staff type phrases (外卖骑手, 党群服务中心), so the index is made of
*pairs of neighbouring words*, a word being one Han character or a run of other letters and digits
(split by casebook/searchindex.mjs, and by docs/assets/search.js for a query, the same way). A phrase
is found by looking up every other one of its pairs and checking that their positions follow one
another; the lookup fetches the few files that hold those pairs, whatever the size of the archive
(docs-notes/search.md has the measurements that led here from Pagefind).

Per case (a *document*: its text in ranking order — title and model, measures, the rest, the page
furniture — with separators between fields, see casebook/search.py ``case_document``):

* **exact pairs** (family ``e``): every two words standing next to each other, with every position
  where they do;
* **words** (family ``u``): every word with the position of its first occurrence (one-character
  queries; English words, looked up by prefix);
* **loose pairs** (family ``l``): every two words two or three positions apart, with which parts of
  the case hold them (no positions): with the exact pairs, the candidates of the loose fallback for
  queries with few exact matches (四建四力 → 抓“四建”提“四力”).

Each family is cut into a power-of-two number of buckets by an FNV-1a hash of the key (of the first
character, for words, so that a prefix's words share a file); a bucket is one gzip file
``search/index/<family>-<k>.cbx`` holding a JSON object {key: postings}. Postings are flat integer
arrays, documents (facets order) and positions delta-coded (:func:`decode_exact` reads them back).
The writer is casebook/searchindex.mjs (its constants: gap, parts, bucket sizes); the browser
(docs/assets/search.js) uses the same hash. Output is byte-identical for the same input.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FORMAT = 2  # as searchindex.mjs writes it in search/index.json
FAMILIES = ("e", "u", "l")
INDEX_DIR = "search/index"
TEXT_DIR = "search/text"
META_FILE = "search/index.json"
SUFFIX = ".cbx"


def fnv1a(key: str) -> int:
    """32-bit FNV-1a of the key's UTF-8 bytes (search.js computes the same)."""
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def bucket_of(family: str, key: str, buckets: int) -> int:
    """Which file of ``family`` holds ``key`` (words are filed by their first character)."""
    return fnv1a(family + (key[0] if family == "u" else key)) % buckets


@dataclass
class Document:
    """One case as indexed: its parts' texts, in ranking order."""

    head: str
    measures: str
    rest: str
    furniture: str


class SearchIndexError(RuntimeError):
    """The site cannot be indexed (missing page, malformed page, the index writer failed)."""


WRITER = Path(__file__).with_name("searchindex.mjs")


def write_index(docs: Iterable[Document], root: Path) -> dict:
    """Write ``search/index.json`` and ``search/index/*.cbx`` under the language root ``root`` for
    the documents (in facets order); return the number of files per family and of documents.

    The writer is casebook/searchindex.mjs, run with Node (installed by the setup for npm): it builds
    maps of tens of millions of entries several times faster than CPython (docs-notes/search.md)."""
    node = shutil.which("node")
    if node is None:
        raise SearchIndexError("找不到 node：请先运行 README 里的安装命令（scripts/setup.sh）")
    cmd = [node, "--max-old-space-size=8192", str(WRITER), str(root)]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            with proc.stdin:
                for doc in docs:
                    line = json.dumps([doc.head, doc.measures, doc.rest, doc.furniture], ensure_ascii=False)
                    proc.stdin.write(line.encode("utf-8") + b"\n")
            summary = proc.stdout.read()
        except BrokenPipeError:
            summary = b""
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if proc.wait() != 0:
            err.seek(0)
            raise SearchIndexError(f"the index writer failed: {err.read().decode('utf-8', 'replace').strip()}")
    return json.loads(summary)


def json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def pack(data) -> bytes:
    """JSON, gzipped without a time stamp (same bytes every run). Served as is: the browser
    unpacks it, so the transfer is small whatever the web server's compression settings."""
    return gzip.compress(json_bytes(data), compresslevel=6, mtime=0)


def unpack(blob: bytes):
    return json.loads(gzip.decompress(blob))


def write_texts(root: Path, texts: Iterable[tuple[str, list[str]]]) -> int:
    """The text excerpts are cut from, one file per case: ``search/text/<id>.cbx``."""
    out = root / TEXT_DIR
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for case_id, text in texts:
        (out / f"{case_id}{SUFFIX}").write_bytes(pack(text))
        n += 1
    return n


# --- reading the index back (tests, tools) ------------------------------------------------------


def load(root: Path) -> tuple[dict, dict[str, dict[str, list[int]]]]:
    """The metadata and every family's table, decoded (for tests and tools, not the site)."""
    meta = json.loads((root / META_FILE).read_text(encoding="utf-8"))
    tables: dict[str, dict[str, list[int]]] = {}
    for family in FAMILIES:
        table: dict[str, list[int]] = {}
        for k in range(meta[family]):
            table.update(unpack((root / INDEX_DIR / f"{family}-{k}{SUFFIX}").read_bytes()))
        tables[family] = table
    return meta, tables


def decode_exact(flat: list[int]) -> dict[int, list[int]]:
    """Exact-pair postings → {document: positions}: [doc Δ × 2 + several, (count if several), position Δ …]."""
    out: dict[int, list[int]] = {}
    k, d = 0, 0
    while k < len(flat):
        x = flat[k]
        d += x // 2
        n = flat[k + 1] if x % 2 else 1
        k += 2 if x % 2 else 1
        pos, p = [], 0
        for delta in flat[k : k + n]:
            p += delta
            pos.append(p)
        out[d] = pos
        k += n
    return out


def decode_loose(flat: list[int]) -> dict[int, int]:
    """Loose-pair postings → {document: parts (bits)}."""
    out, d = {}, 0
    for x in flat:
        d += x // 8
        out[d] = x % 8
    return out


def phrase_matches(meta: dict, tables: dict, words: list[str]) -> dict[int, int]:
    """Documents holding the words as a phrase → the position of the first match (reference
    implementation of what search.js does, for tests)."""
    if len(words) == 1:
        flat = tables["u"].get(words[0], [])
        out, d = {}, 0
        for k in range(0, len(flat), 2):
            d += flat[k]
            out[d] = flat[k + 1]
        return out
    lists = [decode_exact(tables["e"].get(f"{a} {b}", [])) for a, b in zip(words, words[1:], strict=False)]
    out = {}
    for d in set.intersection(*(set(x) for x in lists)):
        starts = [p for p in lists[0][d] if all(p + j in set(lists[j][d]) for j in range(1, len(lists)))]
        if starts:
            out[d] = min(starts)
    return out
