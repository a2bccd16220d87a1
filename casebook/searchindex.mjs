// The search index writer (run by casebook/searchindex.py; format in its docstring).
//
// Reads one case per line on standard input, a JSON array [head, measures, rest, furniture] of the
// case's texts in ranking order (facets order), and writes under the language root given as the
// only argument: search/index.json and search/index/<family>-<k>.cbx. Prints the metadata.
//
// Written in JavaScript because it is the same tokenizer the browser's query parser mirrors
// (docs/assets/search.js), and because building maps of tens of millions of entries is several times
// faster here than in CPython (docs-notes/search.md). Node is already needed by the setup (npm).

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import zlib from "node:zlib";

const FORMAT = 2;
const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const NAME_MARKS = /[\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009\u00b7\u30fb\u2022]/g;
const TOKEN = new RegExp(`[${HAN}]|(?:(?![${HAN}])[\\p{L}\\p{N}])+|\\S`, "gu");
const WORD = /^[\p{L}\p{N}]/u;
const LOOSE_GAP = 3;
const PART_HEAD = 1, PART_MEASURES = 2, PART_REST = 4;
const SEPARATOR = " \u00a6 \u00a6 \u00a6 ";
const BUCKET_BYTES = 96000;
const MAX_BUCKETS = 4096;

function tokens(text) {
  return text.replace(NAME_MARKS, "").normalize("NFKC").toLowerCase().match(TOKEN) || [];
}

function fnv1a(key) {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(key, "utf8")) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

function bucketOf(family, key, buckets) {
  return fnv1a(family + (family === "u" ? String.fromCodePoint(key.codePointAt(0)) : key)) % buckets;
}

// Words get numbers as they are first seen, and pairs are looked up by those numbers (no string
// building in the hot loop). Each key's postings are written encoded as they come, one array each.
const ids = new Map(); // word → id
const names = []; // id → word
// exact[a].get(b) → {a: [doc Δ, count, position Δ …], d: last doc, c: index of its count, p: last position}
const exact = [];
const words = new Map(); // word id → {a: [doc Δ, first position, …], d: last doc}
// loose[a].get(b) → {a: [doc Δ × 8 + parts, …], d: last doc}
const loose = [];
const heads = [], ends = [];
let count = 0;

function idOf(word) {
  let id = ids.get(word);
  if (id === undefined) {
    id = names.length;
    ids.set(word, id);
    names.push(word);
  }
  return id;
}

function add(doc) {
  const d = count++;
  const head = tokens(doc[0] + SEPARATOR), measures = tokens(doc[1] + SEPARATOR);
  const toks = head.concat(measures, tokens(doc[2] + SEPARATOR + doc[3]));
  const hEnd = head.length, mEnd = head.length + measures.length;
  heads.push(hEnd);
  ends.push(mEnd);
  const w = [], pos = [];
  for (let k = 0; k < toks.length; k++) if (WORD.test(toks[k])) { w.push(idOf(toks[k])); pos.push(k); }
  for (let i = 0; i < w.length; i++) {
    const e = words.get(w[i]);
    if (!e) words.set(w[i], { a: [d, pos[i]], d: d });
    else if (e.d !== d) { e.a.push(d - e.d, pos[i]); e.d = d; }
  }
  for (let i = 0; i < w.length; i++) {
    const p = pos[i], first = w[i];
    const bit = p < hEnd ? PART_HEAD : p < mEnd ? PART_MEASURES : PART_REST;
    for (let j = i + 1; j < w.length && pos[j] - p <= LOOSE_GAP; j++) {
      const key = w[j];
      if (pos[j] - p === 1) {
        const m = exact[first] || (exact[first] = new Map());
        const e = m.get(key);
        if (!e) m.set(key, { a: [d, 1, p], d: d, c: 1, p: p });
        else if (e.d !== d) { e.a.push(d - e.d, 1, p); e.d = d; e.c = e.a.length - 2; e.p = p; }
        else { e.a.push(p - e.p); e.a[e.c]++; e.p = p; }
      } else {
        // two to LOOSE_GAP positions apart: the loose fallback (next to each other: the exact pairs)
        const m = loose[first] || (loose[first] = new Map());
        const e = m.get(key);
        if (!e) m.set(key, { a: [d * 8 + bit], d: d });
        else if (e.d !== d) { e.a.push((d - e.d) * 8 + bit); e.d = d; }
        else e.a[e.a.length - 1] |= bit;
      }
    }
  }
}

// [[name, encoded postings], …] of a pair table (exact, loose) or of the words.
function pairEntries(table, compact) {
  const out = [];
  table.forEach((m, a) => { if (m) for (const [b, e] of m) out.push([names[a] + " " + names[b], compact ? compact(e.a) : e.a]); });
  table.length = 0;
  return out;
}

// [doc Δ, count, position Δ …] → [doc Δ × 2 + (count > 1), (count if > 1), position Δ …]: most
// cases hold a pair once, and then two numbers say it.
function compactExact(a) {
  const out = [];
  for (let k = 0; k < a.length; ) {
    const n = a[k + 1];
    if (n === 1) out.push(a[k] * 2, a[k + 2]);
    else { out.push(a[k] * 2 + 1, n); for (let j = 0; j < n; j++) out.push(a[k + 2 + j]); }
    k += 2 + n;
  }
  return out;
}

function wordEntries() {
  const out = [];
  for (const [id, e] of words) out.push([names[id], e.a]);
  words.clear();
  return out;
}

function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

function writeFamily(dir, family, keys) {
  let raw = 0;
  for (const [, a] of keys) raw += 8 + 4 * a.length;
  keys.sort((x, y) => compare(x[0], y[0]));
  let buckets = 1;
  while (buckets < MAX_BUCKETS && raw / buckets > BUCKET_BYTES) buckets *= 2;
  const files = Array.from({ length: buckets }, () => []);
  for (const [name, a] of keys) files[bucketOf(family, name, buckets)].push(JSON.stringify(name) + ":[" + a.join(",") + "]");
  files.forEach((entries, k) => {
    const json = Buffer.from("{" + entries.join(",") + "}\n", "utf8");
    fs.writeFileSync(path.join(dir, `${family}-${k}.cbx`), zlib.gzipSync(json, { level: 6 }));
  });
  return buckets;
}

async function main() {
  const root = process.argv[2];
  if (!root) { console.error("usage: node searchindex.mjs LANGUAGE_ROOT < documents.ndjson"); process.exit(2); }
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of input) if (line) add(JSON.parse(line));
  const dir = path.join(root, "search", "index");
  fs.mkdirSync(dir, { recursive: true });
  const meta = { v: FORMAT, n: count, gap: LOOSE_GAP, heads, ends };
  meta.e = writeFamily(dir, "e", pairEntries(exact, compactExact));
  meta.u = writeFamily(dir, "u", wordEntries());
  meta.l = writeFamily(dir, "l", pairEntries(loose, null));
  // Keys sorted as Python's json.dumps(sort_keys=True) sorts them.
  const sorted = {};
  for (const k of Object.keys(meta).sort()) sorted[k] = meta[k];
  fs.writeFileSync(path.join(root, "search", "index.json"), JSON.stringify(sorted) + "\n");
  process.stdout.write(JSON.stringify({ e: meta.e, u: meta.u, l: meta.l, n: count }) + "\n");
}

main().catch((err) => { console.error(String(err && err.stack || err)); process.exit(1); });
