/* Casebook search: the header search box (every page) and the search page (search/index.html).
 *
 * Engine: our own index of word pairs (casebook/searchindex.py): a word is one Han character or a
 * run of other letters and digits, and a phrase of n words is found by looking up its pairs in the
 * few index files that hold them and checking that their positions follow one another. The query
 * is split here as the index writer splits text, never with Intl.Segmenter.
 * Ranking, facets and date sorting use search/facets.json (written by the generator) and
 * search/index.json (files per family; where each case's head and measures end).
 *
 * No request leaves the site; every record string reaches the page as text (textContent), and
 * excerpts are built node by node from each case's text (search/text/<id>.cbx, see Engine.excerpt).
 * Syntax: ES2017 (Chromium ≥ 87 without transpiling); no top-level await.
 */
(function () {
  "use strict";

  var HAN_CHARS = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var HAN = new RegExp("[" + HAN_CHARS + "]", "u");
  var WORDCHAR = /[\p{L}\p{N}]/u;
  /* Quotation marks and dots inside Chinese names: not indexed (casebook/search.py NAME_MARKS). */
  var NAME_MARK_CHARS = "\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009\u00b7\u30fb\u2022";
  var NAME_MARKS = new RegExp("[" + NAME_MARK_CHARS + "]", "g");
  var FACETS = ["p", "c", "g", "t", "th", "l", "y"];
  var PAGE = 20;
  var BOX_RESULTS = 8;
  /* Fallbacks when a query's exact results are fewer than FEW: loose matches (the characters of a
   * phrase of at least LOOSE_MIN characters in order, each at most LOOSE_GAP word positions after
   * the one before: 2 other characters or marks between them; fields are further apart, see
   * casebook/search.py FIELD_SEP) and, for several words no case holds together, partial matches. */
  var FEW = 5;
  var LOOSE_MIN = 3;
  var LOOSE_GAP = 3;
  var LOOSE_CHECK = 100;   /* close matches checked against the case's text, best first */
  var FIELD_SEP = /(?:\s*\u00a6)+\s*/g;
  var INDEX_FORMAT = 2;   /* casebook/searchindex.py FORMAT */
  var HAN_GAP = /(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]) | (?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/gu;

  function isHan(ch) { return HAN.test(ch); }

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined && txt !== null) e.textContent = String(txt);
    return e;
  }

  /* obj[key] when obj has it as its own (a query such as "constructor" must not find Object's). */
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null; }

  function fmt(s, n) { return String(s || "").replace("{n}", String(n)); }

  /* Used only when search/facets.json (which carries the interface strings) cannot be loaded,
   * e.g. a page opened from disk, where browsers refuse to fetch files. */
  function unavailable(lang) {
    var file = location.protocol === "file:";
    if (lang === "zh") return file ? "直接打开文件时无法搜索：请通过网址访问本站（例如在 site 文件夹运行 python3 -m http.server）。" : "搜索暂时无法使用。";
    return file ? "Search does not work on pages opened from disk: serve the site (for example python3 -m http.server in the site folder)." : "Search is not available.";
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }

  /* ---------------------------------------------------------------- query */

  /* Normalise (NFKC, lower case, traditional → simplified) and split the query into parts:
   * a run of text between spaces or punctuation that holds a Han character becomes a phrase of
   * single characters and words; every other word is searched on its own. The parts are ANDed
   * (results intersected) and each part's tier (title/model, measures, elsewhere) is added up. */
  function parseQuery(raw, t2s) {
    var q = String(raw || "").replace(NAME_MARKS, "").normalize("NFKC").toLowerCase();
    var chars = Array.from(q).map(function (ch) { return (t2s && t2s[ch]) || ch; });
    var runs = [], run = [], cur = "";
    function endWord() { if (cur) { run.push(cur); cur = ""; } }
    function endRun() { endWord(); if (run.length) runs.push(run); run = []; }
    chars.forEach(function (ch) {
      if (isHan(ch)) { endWord(); run.push(ch); }
      else if (WORDCHAR.test(ch)) { cur += ch; }
      else { endRun(); }
    });
    endRun();
    var parts = [], seen = Object.create(null);
    runs.forEach(function (r) {
      if (r.some(isHan)) { parts.push({ phrase: r, text: r.join("") }); return; }
      r.forEach(function (w) {
        if (!seen[w]) { seen[w] = true; parts.push({ words: [w] }); }
      });
    });
    return parts;
  }

  /* A name as casebook/facets.py search_key writes the keys of the alias and related tables. */
  function searchKey(raw, t2s) {
    var q = String(raw || "").normalize("NFKC").toLowerCase();
    q = Array.from(q).map(function (ch) { return (t2s && t2s[ch]) || ch; }).join("");
    q = q.replace(NAME_MARKS, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    return q.replace(HAN_GAP, "");
  }

  function stem(w) {
    w = w.replace(/['’]s?$/, "");
    if (w.length > 4) w = w.replace(/(ing|ed|es|s)$/, "");
    return w;
  }

  /* ---------------------------------------------------------------- engine */

  function Engine(prefix, lang) {
    this.prefix = prefix;                       // relative URL of the language root, from this page
    this.base = new URL(prefix || "./", location.href).href;
    this.lang = lang;
    this.dataPromise = null;
    this.files = Object.create(null);           // index files and case texts, parsed, by name
    this.fileCount = 0;
  }

  /* What any query needs besides facets.json, fetched when a search box is focused: the index's
   * metadata (files per family, where each case's head and measures end) and the traditional →
   * simplified table. */
  Engine.prototype.warm = function () {
    if (!this.metaPromise) {
      this.metaPromise = Promise.all([getJSON(this.base + "search/index.json"), getJSON(this.base + "search/t2s.json")]);
      this.metaPromise.catch(function () {});
    }
    return this.metaPromise;
  };

  /* search/facets.json: enough for a listing without a query. */
  Engine.prototype.data = function () {
    if (!this.dataPromise) {
      this.dataPromise = getJSON(this.base + "search/facets.json").then(function (f) {
        // rows from columns (casebook/facets.py), places from their table
        var rows = (f.cols[0] || []).map(function (_, i) {
          return f.cols.map(function (col) { return col[i]; });
        });
        rows.forEach(function (r) { r[4] = f.pl[r[4]]; });
        var d = { f: f, rows: rows, ui: f.ui, head: [], headWords: [] };
        d.rows.forEach(function (r) {
          var head = [r[1], r[2]].concat(r.length > 14 ? [r[14]] : []).join(" ").replace(NAME_MARKS, "").normalize("NFKC").toLowerCase();
          d.head.push(head);
          d.headWords.push(head.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
        });
        return d;
      });
    }
    return this.dataPromise;
  };

  Engine.prototype.searchData = function () {
    if (!this.searchPromise) {
      this.searchPromise = Promise.all([this.data(), this.warm()]).then(function (got) {
        var d = got[0], meta = got[1][0];
        if (meta.v !== INDEX_FORMAT || meta.n !== d.rows.length) throw new Error("search/index.json does not match search/facets.json");
        d.t2s = got[1][1];
        d.ix = meta;
        d.heads = meta.heads;
        d.ends = meta.ends;
        return d;
      });
    }
    return this.searchPromise;
  };

  /* The first line of a case's summary (search/lines/<n>.json, LINES rows each in facets order):
   * shown for results without an excerpt (a listing without a query, a category match). */
  var LINES = 64;
  Engine.prototype.summaryLine = function (i) {
    if (!this.lines) this.lines = Object.create(null);
    var k = Math.floor(i / LINES);
    if (!this.lines[k]) this.lines[k] = getJSON(this.base + "search/lines/" + k + ".json");
    return this.lines[k].then(function (list) { return list[i % LINES] || ""; });
  };

  /* ---------------------------------------------------------------- the index (casebook/searchindex.py) */

  /* An index file or a case's text: gzip holding JSON, unpacked here so that what travels is small
   * whatever the web server's settings (a server that unpacks it itself sends plain JSON). */
  function getPacked(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.arrayBuffer();
    }).then(function (buf) {
      var b = new Uint8Array(buf);
      if (b.length > 1 && b[0] === 0x1f && b[1] === 0x8b) {
        return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
      }
      return new TextDecoder().decode(b);
    }).then(function (text) { return JSON.parse(text); });
  }

  /* 32-bit FNV-1a of the key's UTF-8 bytes: which file holds a key (casebook/searchindex.mjs). */
  function fnv1a(key) {
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k], 0x01000193) >>> 0;
    return h;
  }

  /* A file, fetched once and kept (at most a few hundred, then the cache starts again). */
  Engine.prototype.packed = function (name) {
    if (!this.files[name]) {
      if (this.fileCount >= 400) { this.files = Object.create(null); this.fileCount = 0; }
      this.fileCount++;
      var p = this.files[name] = getPacked(this.base + name);
      var files = this.files;
      p.catch(function () { if (files[name] === p) delete files[name]; });
    }
    return this.files[name];
  };

  /* The file of `family` that holds `key` (words are filed by their first character). */
  Engine.prototype.file = function (d, family, key) {
    var k = fnv1a(family + (family === "u" ? String.fromCodePoint(key.codePointAt(0)) : key)) % d.ix[family];
    return this.packed("search/index/" + family + "-" + k + ".cbx");
  };

  Engine.prototype.postings = function (d, family, key) {
    return this.file(d, family, key).then(function (obj) {
      return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null;
    });
  };

  /* Exact pairs: [doc Δ × 2 + several, (count if several), position Δ …] → Map doc → positions. */
  function decodeExact(flat) {
    var out = new Map(), k = 0, doc = 0;
    while (k < flat.length) {
      var x = flat[k++];
      doc += Math.floor(x / 2);
      var n = x % 2 ? flat[k++] : 1, pos = [], p = 0;
      for (var j = 0; j < n; j++) { p += flat[k++]; pos.push(p); }
      out.set(doc, pos);
    }
    return out;
  }

  /* Tier of one part's match on row i: 0 title or model, 1 measures, 2 elsewhere. */
  function tierOf(d, i, part, pos) {
    if (part.phrase) {
      if (d.head[i].indexOf(part.text) >= 0) return 0;
    } else {
      var hw = d.headWords[i];
      var all = part.words.every(function (w) {
        var s = stem(w);
        return hw.some(function (x) { return x.indexOf(s) === 0 || stem(x) === s; });
      });
      if (all) return 0;
    }
    return pos < d.heads[i] ? 0 : pos < d.ends[i] ? 1 : 2;
  }

  /* The bit of the part of the case a position is in (as in the loose pairs' postings). */
  function partBit(d, i, pos) { return pos < d.heads[i] ? 1 : pos < d.ends[i] ? 2 : 4; }

  /* Which of a phrase's pairs to look up: every other one from the start, and the last; found at
   * p, p + 2, …, they pin down every word of the phrase. */
  function coverPairs(n) {
    var out = [];
    for (var k = 0; k + 1 < n; k += 2) out.push(k);
    if (out[out.length - 1] !== n - 2) out.push(n - 2);
    return out;
  }

  /* Rows (Map row → {tier, hit}) holding a phrase: its words next to each other, in order. */
  Engine.prototype.phrase = function (d, part) {
    var self = this, els = part.phrase;
    if (els.length === 1) {
      return this.postings(d, "u", els[0]).then(function (flat) {
        var out = new Map(), doc = 0;
        for (var k = 0; flat && k < flat.length; k += 2) {
          doc += flat[k];
          out.set(doc, { tier: tierOf(d, doc, part, flat[k + 1]), hit: true });
        }
        return out;
      });
    }
    var offs = coverPairs(els.length);
    return Promise.all(offs.map(function (o) { return self.postings(d, "e", els[o] + " " + els[o + 1]); })).then(function (flats) {
      var out = new Map();
      if (flats.some(function (f) { return !f; })) return out;
      var lists = flats.map(decodeExact);
      var order = lists.map(function (_, k) { return k; }).sort(function (a, b) { return lists[a].size - lists[b].size; });
      lists[order[0]].forEach(function (_, doc) {
        for (var k = 1; k < order.length; k++) if (!lists[order[k]].has(doc)) return;
        var at = lists.map(function (l) { return l.get(doc); }), first = -1;
        for (var a = 0; a < at[0].length && first < 0; a++) {
          var p = at[0][a], ok = true;
          for (var j = 1; j < offs.length && ok; j++) ok = at[j].indexOf(p + offs[j]) >= 0;
          if (ok) first = p;
        }
        if (first >= 0) out.set(doc, { tier: tierOf(d, doc, part, first), hit: true });
      });
      return out;
    });
  };

  /* Rows holding a word (not Chinese) or a word it begins: driver finds drivers. */
  Engine.prototype.word = function (d, part) {
    var w = part.words[0], s = stem(w);
    return this.file(d, "u", s).then(function (obj) {
      var first = new Map();
      Object.keys(obj).forEach(function (key) {
        if (key.indexOf(s) !== 0) return;
        var flat = obj[key], doc = 0;
        for (var k = 0; k < flat.length; k += 2) {
          doc += flat[k];
          if (!first.has(doc) || flat[k + 1] < first.get(doc)) first.set(doc, flat[k + 1]);
        }
      });
      var out = new Map();
      first.forEach(function (pos, doc) { out.set(doc, { tier: tierOf(d, doc, part, pos), hit: true }); });
      return out;
    });
  };

  /* The category a row belongs to: [facet, value index] as in facets.json "a". */
  function inCategory(r, cat) {
    var f = cat[0], v = cat[1];
    if (f === "g") return r[7].indexOf(v) >= 0;
    if (f === "t") return r[8].indexOf(v) >= 0;
    if (f === "th") return r[9] === v;
    if (f === "k") return r[11].indexOf(v) >= 0;
    return false;
  }

  /* Every name (search key) of each category: its labels and aliases (the keys of "a"). */
  function categoryNames(d, cats) {
    if (!d.catNames) {
      d.catNames = Object.create(null);
      Object.keys(d.f.a || {}).forEach(function (key) {
        d.f.a[key].forEach(function (c) { (d.catNames[c[0] + ":" + c[1]] = d.catNames[c[0] + ":" + c[1]] || []).push(key); });
      });
    }
    var out = [];
    cats.forEach(function (c) { out = out.concat(d.catNames[c[0] + ":" + c[1]] || []); });
    return out;
  }

  function headKey(d, i) {
    if (!d.headKeys) d.headKeys = [];
    if (d.headKeys[i] === undefined) d.headKeys[i] = searchKey(d.head[i]);
    return d.headKeys[i];
  }

  /* Rows (Map row → {tier, hit}) whose text holds the phrase's words in order, each neighbouring two
   * at most LOOSE_GAP positions apart in the same part of the case (title and model, measures, the
   * rest): the exact pairs (next to each other) and the loose pairs (two or three apart). */
  Engine.prototype.loose = function (d, part) {
    var self = this, els = part.phrase, pairs = [];
    for (var k = 0; k + 1 < els.length; k++) pairs.push(els[k] + " " + els[k + 1]);
    pairs = pairs.filter(function (p, k) { return pairs.indexOf(p) === k; });
    return Promise.all(pairs.map(function (p) {
      return Promise.all([self.postings(d, "e", p), self.postings(d, "l", p)]);
    })).then(function (got) {
      var maps = got.map(function (g) {
        var m = new Map();
        if (g[0]) decodeExact(g[0]).forEach(function (pos, doc) {
          var bits = 0;
          pos.forEach(function (p) { bits |= partBit(d, doc, p); });
          m.set(doc, bits);
        });
        var doc = 0;
        (g[1] || []).forEach(function (x) { doc += Math.floor(x / 8); m.set(doc, (m.get(doc) || 0) | (x % 8)); });
        return m;
      });
      maps.sort(function (a, b) { return a.size - b.size; });
      var candidates = [];
      maps[0].forEach(function (bits, doc) {
        for (var k = 1; k < maps.length && bits; k++) bits &= maps[k].get(doc) || 0;
        if (bits) candidates.push([doc, bits & 1 ? 0 : bits & 2 ? 1 : 2]);
      });
      // The pairs say the words stand near each other, not that they follow one another: check the
      // chain in the case's text (title and model from facets.json, the rest from its text file),
      // for the LOOSE_CHECK best candidates.
      candidates.sort(function (a, b) { return (a[1] - b[1]) || (d.rows[b[0]][3] - d.rows[a[0]][3]) || (a[0] - b[0]); });
      candidates = candidates.slice(0, LOOSE_CHECK);
      return Promise.all(candidates.map(function (c) {
        if (chained(tokenize(d.head[c[0]]), els)) return [c[0], 0];
        return self.caseText(d, c[0]).then(function (t) {
          if (chained(tokenize(t[0]), els)) return [c[0], 1];
          if (chained(tokenize(t[1]), els)) return [c[0], 2];
          return null;
        }, function () { return null; });
      })).then(function (checked) {
        var out = new Map();
        checked.forEach(function (c) { if (c) out.set(c[0], { tier: c[1], hit: true }); });
        return out;
      });
    });
  };

  /* A case's measures and the rest as printed: [measures, rest] (search/text/<id>.cbx). */
  Engine.prototype.caseText = function (d, i) {
    return this.packed("search/text/" + encodeURIComponent(d.rows[i][0]) + ".cbx");
  };

  /* Words and single other characters, as the index writer splits text (casebook/searchindex.mjs). */
  var TOKEN = new RegExp("[" + HAN_CHARS + "]|(?:(?![" + HAN_CHARS + "])[\\p{L}\\p{N}])+|\\S", "gu");
  function tokenize(text) {
    return String(text || "").replace(NAME_MARKS, "").normalize("NFKC").toLowerCase().match(TOKEN) || [];
  }

  /* Do the words `els` follow one another in `toks`, each at most LOOSE_GAP positions after the one
   * before (fields are further apart: casebook/search.py FIELD_SEP)? */
  function chained(toks, els) {
    var reach = [];
    for (var k = 0; k < toks.length; k++) if (toks[k] === els[0]) reach.push(k);
    for (var j = 1; j < els.length && reach.length; j++) {
      var next = [];
      reach.forEach(function (p) {
        for (var g = 1; g <= LOOSE_GAP; g++) if (toks[p + g] === els[j] && next.indexOf(p + g) < 0) next.push(p + g);
      });
      reach = next;
    }
    return reach.length > 0;
  }

  /* A query is made of units, ANDed: the whole query when it names a category (外卖骑手, 党支部+合作社),
   * else each part. A unit matches a row by its text (every part of it, "exact") or, when it names
   * a category, by the row being tagged with it ("category"). Tiers per unit: 0 title or model
   * (also when they hold another name of the category), 1 measures, TAGGED (tagged, the text not
   * found), 2 elsewhere: being tagged says more about a case than a mention somewhere in it. */
  var TAGGED = 1.5;
  function units(d, raw, parts) {
    var a = d.f.a || {}, r = d.f.r || {};
    var whole = searchKey(raw, d.t2s);
    var list, related = [];
    if (own(a, whole)) list = [{ parts: parts, cats: own(a, whole) }];
    else {
      list = parts.map(function (p) {
        var key = p.phrase ? p.text : p.words[0];
        if (own(r, key)) related = related.concat(own(r, key));
        return { parts: [p], cats: own(a, key) };
      });
    }
    if (own(r, whole)) related = related.concat(own(r, whole));
    return { list: list, related: related };
  }

  function unitMatch(d, u, partMaps) {
    var text = null;
    partMaps.forEach(function (m) {
      if (text === null) {
        text = new Map();
        m.forEach(function (v, i) { text.set(i, { tier: v.tier, hit: v.hit, how: "exact" }); });
      } else {
        var next = new Map();
        text.forEach(function (v, i) { if (m.has(i)) next.set(i, { tier: v.tier + m.get(i).tier, hit: v.hit, how: "exact" }); });
        text = next;
      }
    });
    if (!u.cats) return text;
    var names = categoryNames(d, u.cats);
    d.rows.forEach(function (r, i) {
      var tagged = u.cats.some(function (c) { return inCategory(r, c); });
      var inText = text.has(i);
      if (!tagged && !inText) return;
      var head = names.some(function (n) { return headKey(d, i).indexOf(n) >= 0; });
      if (inText) { if (head) text.get(i).tier = 0; }
      else text.set(i, { tier: head ? 0 : TAGGED, hit: null, how: "category" });
    });
    return text;
  }

  function andMaps(maps) {
    var out = null;
    maps.forEach(function (m) {
      if (out === null) {
        out = new Map();
        m.forEach(function (v, i) { out.set(i, { tier: v.tier, hit: v.hit, how: v.how }); });
        return;
      }
      var next = new Map();
      out.forEach(function (v, i) {
        var w = m.get(i);
        if (!w) return;
        next.set(i, { tier: v.tier + w.tier, hit: v.hit || w.hit, how: v.how === "exact" ? w.how : v.how });
      });
      out = next;
    });
    return out || new Map();
  }

  /* Search: every matching row (index into facets rows), ranked, with how each matched; or null
   * rows for an empty query. */
  /* Search; when nothing at all is found (not even loosely), a Chinese phrase typed as one piece is
   * searched again as its words (骑手驿站 → 骑手 + 驿站): every word must be in the case, and the
   * results say so (how "split", res.split the words). */
  Engine.prototype.search = function (raw) {
    var self = this;
    return this.searchOnce(raw, false).then(function (res) {
      if (!res.rows || res.rows.length) return res;
      return self.searchData().then(function (d) {
        var pieces = [], changed = false;
        res.parts.forEach(function (p) {
          var split = p.phrase ? splitPhrase(d, p.text) : null;
          if (split) { pieces = pieces.concat(split); changed = true; }
          else pieces.push(p.phrase ? p.text : p.words[0]);
        });
        if (!changed) return res;
        return self.searchOnce(pieces.join(" "), true).then(function (sub) {
          if (!sub.rows || !sub.rows.length) return res;
          sub.query = raw;
          sub.split = pieces;
          sub.rows.forEach(function (i) { if (sub.how[i] === "exact") sub.how[i] = "split"; });
          return sub;
        });
      });
    });
  };

  /* The words of a phrase nothing matched: category names (labels, aliases) found in it, longest
   * first, and the pieces between them of two characters or more; a phrase holding no name is cut in
   * two-character words when it has an even length of 4 to 8 (党员积分 → 党员 + 积分). Null: no split. */
  function splitPhrase(d, text) {
    var chars = Array.from(text);
    if (chars.length < 3) return null;
    if (!d.hanNames) {
      d.hanNames = Object.keys(d.f.a || {}).filter(function (k) { return HAN.test(k) && !/\s/.test(k) && Array.from(k).length >= 2; });
      d.hanNames.sort(function (a, b) { return (Array.from(b).length - Array.from(a).length) || (a < b ? -1 : a > b ? 1 : 0); });
    }
    var taken = chars.map(function () { return false; }), found = [];
    d.hanNames.forEach(function (name) {
      var n = Array.from(name), at = -1;
      for (var k = 0; k + n.length <= chars.length; k++) {
        if (chars.slice(k, k + n.length).join("") === name && !taken.slice(k, k + n.length).some(Boolean)) { at = k; break; }
      }
      if (at < 0 || n.length === chars.length) return;
      for (var j = at; j < at + n.length; j++) taken[j] = true;
      found.push([at, name]);
    });
    var pieces = [];
    if (found.length) {
      found.sort(function (a, b) { return a[0] - b[0]; });
      var k = 0;
      found.forEach(function (f) {
        var rest = chars.slice(k, f[0]).join("");
        if (Array.from(rest).length >= 2) pieces.push(rest);
        pieces.push(f[1]);
        k = f[0] + Array.from(f[1]).length;
      });
      var tail = chars.slice(k).join("");
      if (Array.from(tail).length >= 2) pieces.push(tail);
    } else if (chars.length % 2 === 0 && chars.length >= 4 && chars.length <= 8) {
      for (var c = 0; c < chars.length; c += 2) pieces.push(chars[c] + chars[c + 1]);
    }
    return pieces.length >= 2 ? pieces : null;
  }

  Engine.prototype.searchOnce = function (raw, allWords) {
    var self = this;
    return this.searchData().then(function (d) {
      var parts = parseQuery(raw, d.t2s);
      if (!parts.length) return { query: raw, parts: parts, rows: null, hits: null };
      var q = units(d, raw, parts);
      return Promise.all(parts.map(function (p) { return p.phrase ? self.phrase(d, p) : self.word(d, p); })).then(function (partMaps) {
        var unitMaps = q.list.map(function (u) {
          return unitMatch(d, u, u.parts.map(function (p) { return partMaps[parts.indexOf(p)]; }));
        });
        var exact = andMaps(unitMaps);
        var res = { query: raw, parts: parts, exact: exact, how: Object.create(null), tiers: Object.create(null), hits: Object.create(null), related: q.related };
        res.cats = [];
        q.list.forEach(function (u) { if (u.cats) res.cats = res.cats.concat(u.cats); });
        if (exact.size >= FEW) return finish(d, res, [exact]);
        // Loose matches for each phrase long enough, then the rows every unit matches loosely or exactly.
        var jobs = parts.map(function (p) {
          return p.phrase && p.phrase.length >= LOOSE_MIN ? self.loose(d, p) : Promise.resolve(new Map());
        });
        return Promise.all(jobs).then(function (looseMaps) {
          var wide = q.list.map(function (u, k) {
            var m = new Map(unitMaps[k]);
            var per = u.parts.map(function (p) {
              var pm = new Map(partMaps[parts.indexOf(p)]);
              looseMaps[parts.indexOf(p)].forEach(function (v, i) { if (!pm.has(i)) pm.set(i, { tier: v.tier, hit: v.hit, loose: true }); });
              return pm;
            });
            var all = null;
            per.forEach(function (pm) {
              if (all === null) { all = new Map(); pm.forEach(function (v, i) { all.set(i, { tier: v.tier, hit: v.hit, how: v.loose ? "loose" : "exact" }); }); return; }
              var next = new Map();
              all.forEach(function (v, i) { var w = pm.get(i); if (w) next.set(i, { tier: v.tier + w.tier, hit: v.hit, how: v.how === "loose" || w.loose ? "loose" : "exact" }); });
              all = next;
            });
            all.forEach(function (v, i) { if (!m.has(i)) m.set(i, v); });
            return m;
          });
          var loose = new Map();
          andMaps(wide).forEach(function (v, i) { if (!exact.has(i)) loose.set(i, { tier: v.tier, hit: v.hit, how: "loose" }); });
          if (exact.size || loose.size || q.list.length < 2 || allWords) return finish(d, res, [exact, loose]);
          // Several words no case holds together: cases holding the most of them.
          var partial = new Map();
          wide.forEach(function (m) {
            m.forEach(function (v, i) {
              var p = partial.get(i);
              if (!p) partial.set(i, { n: 1, tier: v.tier, hit: v.hit, how: "partial" });
              else { p.n++; p.tier += v.tier; p.hit = p.hit || v.hit; }
            });
          });
          res.partial = true;
          return finish(d, res, [partial]);
        });
      });
    });
  };

  /* Rank each group of matches (exact, then loose; or partial) and list them in that order. */
  function finish(d, res, groups) {
    var rows = [];
    groups.forEach(function (m) {
      var ids = Array.from(m.keys());
      ids.sort(function (a, b) {
        var x = m.get(a), y = m.get(b);
        return ((y.n || 0) - (x.n || 0)) || (x.tier - y.tier) || (d.rows[b][3] - d.rows[a][3]) || (a - b);
      });
      ids.forEach(function (i) {
        var v = m.get(i);
        rows.push(i);
        res.how[i] = v.how;
        res.tiers[i] = v.tier;
        if (v.hit) res.hits[i] = v.hit;
      });
    });
    res.rows = rows;
    return res;
  }

  /* Search for the newest query only: while a search is running, later queries wait and all but the
   * last are dropped (typing 流动党员 need not wait for 流, 流动 and 流动党 to finish). Calls
   * `done(result)` for each query that ran, or `fail(error)`. */
  Engine.prototype.latest = function (slot, raw, done, fail) {
    // slot: the caller's own queue (the header box and the search page each have one)
    var self = this;
    if (slot.busy) { slot.next = [raw, done, fail]; return; }
    slot.busy = true;
    function after() {
      slot.busy = false;
      var n = slot.next;
      slot.next = null;
      if (n) self.latest(slot, n[0], n[1], n[2]);
    }
    this.search(raw).then(function (res) { after(); done(res); }, function (err) { after(); fail(err); });
  };

  /* The excerpt of row i as DOM nodes (text and <mark> elements built here; nothing is parsed as
   * HTML). Built from the case's text (its measures and the rest: not the title and model, shown
   * above the excerpt already, nor the page furniture): around the first match of the query, every
   * match marked, fields apart with " · ". `loose`: the query's characters may stand a few apart. */
  Engine.prototype.excerpt = function (i, parts, loose) {
    var lang = this.lang, self = this;
    return this.data().then(function (d) {
      return self.caseText(d, i).then(function (t) {
        return excerptNodes(t[0] + " \u00a6 \u00a6 \u00a6 " + t[1], parts || [], lang, loose, self.labels(d));
      });
    });
  };

  /* Category labels: a field that is only one (a measure's measure-type chip) is metadata, left
   * out of excerpts. */
  Engine.prototype.labels = function (d) {
    if (!this.labelSet) {
      var set = this.labelSet = Object.create(null);
      ["g", "t", "th", "k", "l"].forEach(function (k) { (d.f.f[k] || []).forEach(function (v) { set[v[1]] = true; }); });
    }
    return this.labelSet;
  };

  function escapeRe(t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function matcher(parts, loose) {
    var alts = parts.map(function (p) {
      // quotation marks and dots inside names are in the text but not in the query
      if (p.phrase) return p.phrase.map(escapeRe).join(loose ? "[^\u00b7]{0,6}?" : "[\\s" + NAME_MARK_CHARS + "]*");
      return "(?<![\\p{L}\\p{N}])" + escapeRe(stem(p.words[0])) + "[\\p{L}\\p{N}]*";
    });
    return alts.length ? new RegExp(alts.join("|"), "giu") : null;
  }

  /* `content`: a case's measures and the rest as printed (quotation marks kept), fields apart
   * (search/text/<id>.cbx, casebook/search.py case_document). */
  function excerptNodes(content, parts, lang, loose, labels) {
    var body = content.split(FIELD_SEP).filter(function (f) { return !(labels && labels[f.trim()]); }).join(" \u00b7 ");
    body = body.replace(/\s+/g, " ").replace(/^[\s\u00b7]+|[\s\u00b7]+$/g, "");
    var re = matcher(parts, loose), found = [], m;
    if (re) {
      while ((m = re.exec(body)) !== null && found.length < 200) {
        if (!m[0]) { re.lastIndex++; continue; }
        found.push([m.index, m.index + m[0].length]);
      }
    }
    var before = lang === "zh" ? 16 : 60, size = lang === "zh" ? 64 : 200;
    var from = found.length ? Math.max(0, found[0][0] - before) : 0;
    var to = Math.min(body.length, from + size);
    if (lang !== "zh") {
      // whole words at both ends
      if (from > 0) { var sp = body.indexOf(" ", from); if (sp >= 0 && sp < found[0][0]) from = sp + 1; }
      if (to < body.length) { var sp2 = body.lastIndexOf(" ", to); if (sp2 > from) to = sp2; }
    }
    var frag = document.createDocumentFragment();
    var at = from;
    if (from > 0) frag.appendChild(document.createTextNode("…"));
    found.forEach(function (f) {
      var a = Math.max(f[0], at), b = Math.min(f[1], to);
      if (b <= a) return;
      if (a > at) frag.appendChild(document.createTextNode(body.slice(at, a)));
      frag.appendChild(el("mark", null, body.slice(a, b)));
      at = b;
    });
    if (at < to) frag.appendChild(document.createTextNode(body.slice(at, to)));
    if (to < body.length) frag.appendChild(document.createTextNode("…"));
    return frag;
  }

  /* ---------------------------------------------------------------- facets */

  function emptySel() { var s = {}; FACETS.forEach(function (k) { s[k] = []; }); return s; }

  /* Does row r pass every selected facet except `skip` ("r" = region: p and c together)? */
  function passes(d, r, sel, skip) {
    if (skip !== "r" && (sel.p.length || sel.c.length)) {
      var cities = d.f.f.c, ok = false;
      for (var k = 0; k < sel.c.length && !ok; k++) if (cities[r[6]] && cities[r[6]][0] === sel.c[k]) ok = true;
      for (var m = 0; m < sel.p.length && !ok; m++) {
        var pc = sel.p[m];
        if (d.f.f.p[r[5]][0] !== pc) continue;
        var narrowed = sel.c.some(function (cc) {
          var ci = cityIndex(d, cc);
          return ci >= 0 && d.f.f.p[cities[ci][2]][0] === pc;
        });
        if (!narrowed) ok = true;
      }
      if (!ok) return false;
    }
    if (skip !== "g" && sel.g.length && !r[7].some(function (g) { return sel.g.indexOf(d.f.f.g[g][0]) >= 0; })) return false;
    if (skip !== "t" && sel.t.length && !r[8].some(function (t) { return sel.t.indexOf(d.f.f.t[t][0]) >= 0; })) return false;
    if (skip !== "th" && sel.th.length && sel.th.indexOf(d.f.f.th[r[9]][0]) < 0) return false;
    if (skip !== "y" && sel.y.length && sel.y.indexOf(d.f.f.y[r[10]]) < 0) return false;
    if (skip !== "l" && sel.l.length && sel.l.indexOf(d.f.f.l[r[12]][0]) < 0) return false;
    return true;
  }

  function cityIndex(d, code) {
    if (!d.cityIdx) {
      d.cityIdx = Object.create(null);
      d.f.f.c.forEach(function (c, i) { d.cityIdx[c[0]] = i; });
    }
    var i = d.cityIdx[code];
    return i === undefined ? -1 : i;
  }

  /* Counts per facet value over `rows` (indexes), each facet counted with the other facets applied. */
  function facetCounts(d, rows, sel) {
    var n = { p: {}, c: {}, g: {}, t: {}, th: {}, y: {}, l: {} };
    var vals = d.f.f;
    rows.forEach(function (i) {
      var r = d.rows[i];
      if (passes(d, r, sel, "r")) {
        var pc = vals.p[r[5]][0];
        n.p[pc] = (n.p[pc] || 0) + 1;
        if (r[6] >= 0) { var cc = vals.c[r[6]][0]; n.c[cc] = (n.c[cc] || 0) + 1; }
      }
      if (passes(d, r, sel, "g")) r[7].forEach(function (g) { var s = vals.g[g][0]; n.g[s] = (n.g[s] || 0) + 1; });
      if (passes(d, r, sel, "t")) r[8].forEach(function (t) { var s = vals.t[t][0]; n.t[s] = (n.t[s] || 0) + 1; });
      if (passes(d, r, sel, "th")) { var th = vals.th[r[9]][0]; n.th[th] = (n.th[th] || 0) + 1; }
      if (passes(d, r, sel, "y")) { var y = vals.y[r[10]]; n.y[y] = (n.y[y] || 0) + 1; }
      if (passes(d, r, sel, "l")) { var l = vals.l[r[12]][0]; n.l[l] = (n.l[l] || 0) + 1; }
    });
    return n;
  }

  /* ---------------------------------------------------------------- state in the URL */

  function readState(search) {
    var params = new URLSearchParams(search || "");
    var st = { q: params.get("q") || "", s: params.get("s") === "date" ? "date" : "", sel: emptySel() };
    FACETS.forEach(function (k) {
      params.getAll(k).forEach(function (v) {
        String(v).split(",").forEach(function (x) {
          x = x.trim();
          if (x && /^[A-Za-z0-9_-]+$/.test(x) && st.sel[k].indexOf(x) < 0) st.sel[k].push(x);
        });
      });
      st.sel[k].sort();
    });
    return st;
  }

  function writeState(st) {
    var out = [];
    if (st.q) out.push("q=" + encodeURIComponent(st.q));
    if (st.s) out.push("s=" + st.s);
    FACETS.forEach(function (k) {
      st.sel[k].slice().sort().forEach(function (v) { out.push(k + "=" + encodeURIComponent(v)); });
    });
    return out.length ? "?" + out.join("&") : "";
  }

  /* ---------------------------------------------------------------- shared rendering */

  function caseHref(prefix, id) { return prefix + "cases/" + encodeURIComponent(id) + ".html"; }

  function metaLine(d, r) {
    var bits = [r[4]];
    var prov = d.f.f.p[r[5]][1];
    if (prov && prov !== r[4]) bits.push(prov);
    bits.push(d.f.f.y[r[10]]);
    return bits.join(" · ");
  }

  /* ---------------------------------------------------------------- the search page */

  function SearchPage(root, engine) {
    this.root = root;
    this.engine = engine;
    this.input = root.querySelector("#cb-q");
    this.form = root.querySelector("#cb-search-form");
    this.status = root.querySelector("#cb-status");
    this.bar = root.querySelector(".cb-search__bar");
    this.sort = root.querySelector("#cb-sort");
    this.active = root.querySelector("#cb-active");
    this.chips = root.querySelector("#cb-chips");
    this.clear = root.querySelector("#cb-clear");
    this.facets = root.querySelector("#cb-facets");
    this.list = root.querySelector("#cb-results");
    this.more = root.querySelector("#cb-more");
    this.note = root.querySelector("#cb-note");
    this.empty = root.querySelector("#cb-empty");
    this.state = readState(location.search);
    this.seq = 0;
    this.result = null;       // last search (ranked rows for the query, or null = no query)
    this.shown = 0;
    this.expanded = {};
    this.queue = {};
    this.facetsOpen = !(window.matchMedia && window.matchMedia("(max-width: 44.9375em)").matches);
    this.bind();
  }

  SearchPage.prototype.bind = function () {
    var self = this;
    this.input.value = this.state.q;
    this.sort.value = this.state.s;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.setQuery(self.input.value, true); });
    this.input.addEventListener("input", function (e) { if (!e.isComposing) self.setQuery(self.input.value); });
    this.input.addEventListener("compositionend", function () { self.setQuery(self.input.value); });
    this.input.addEventListener("focus", function () { self.engine.warm(); });
    this.sort.addEventListener("change", function () { self.state.s = self.sort.value; self.update(false); });
    this.clear.addEventListener("click", function () { self.state.sel = emptySel(); self.update(false); });
    this.more.addEventListener("click", function () { self.renderResults(self.shown + PAGE); });
    this.facets.addEventListener("change", function (e) {
      var box = e.target;
      if (!box || box.type !== "checkbox") return;
      var k = box.getAttribute("data-facet"), v = box.value, list = self.state.sel[k];
      var at = list.indexOf(v);
      if (box.checked && at < 0) list.push(v);
      if (!box.checked && at >= 0) list.splice(at, 1);
      if (k === "p" && !box.checked) {
        // Dropping a province drops its cities too.
        var d = self.data;
        self.state.sel.c = self.state.sel.c.filter(function (cc) {
          var ci = cityIndex(d, cc);
          return ci < 0 || d.f.f.p[d.f.f.c[ci][2]][0] !== v;
        });
      }
      list.sort();
      self.focusKey = k + ":" + v;
      self.update(false);
    });
    window.addEventListener("popstate", function () {
      self.state = readState(location.search);
      self.input.value = self.state.q;
      self.sort.value = self.state.s;
      self.run();
    });
    this.root.setAttribute("data-cb-state", "loading");
    this.status.textContent = "";
    this.run();
  };

  SearchPage.prototype.setQuery = function (q, push) {
    if (q === this.state.q && !push) return;
    this.state.q = q;
    this.run(push);
  };

  SearchPage.prototype.syncUrl = function (push) {
    var url = location.pathname + writeState(this.state) + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
  };

  /* Run the query (if it changed) then render. */
  SearchPage.prototype.run = function (push) {
    var self = this, seq = ++this.seq, q = this.state.q;
    this.syncUrl(push);
    this.root.setAttribute("data-cb-state", "searching");
    function show(result) {
      if (seq !== self.seq) return;
      self.engine.data().then(function (d) {
        if (seq !== self.seq) return;
        self.data = d;
        self.result = result;
        self.update(false, true);
      });
    }
    function fail(err) { if (seq === self.seq) self.fail(err); }
    if (q.trim()) this.engine.latest(this.queue, q, show, fail);
    else this.engine.data().then(function () { show({ query: q, rows: null }); }, fail);
  };

  SearchPage.prototype.fail = function (err) {
    this.root.setAttribute("data-cb-state", "error");
    var ui = (this.data && this.data.ui) || {};
    this.bar.hidden = false;
    this.status.textContent = location.protocol !== "file:" && ui.search_error ? ui.search_error : unavailable(this.engine.lang);
    if (window.console) console.warn("casebook search:", err);
  };

  /* Filter, sort and draw: after a query, or when facets or sort change. */
  SearchPage.prototype.update = function (push, fromRun) {
    var d = this.data;
    if (!d) return;
    if (!fromRun) this.syncUrl(push);
    var sel = this.state.sel;
    // Ranked matches for a query; without one, every case in listing order (newest year first).
    var base = this.result && this.result.rows ? this.result.rows.slice() : d.rows.map(function (_, i) { return i; });
    if (this.state.s === "date") base.sort(function (a, b) { return (d.rows[b][3] - d.rows[a][3]) || (a - b); });
    this.matches = base.filter(function (i) { return passes(d, d.rows[i], sel, null); });
    this.counts = facetCounts(d, base, sel);
    // Facet values are ordered by their counts without any filter: ticking one keeps the order.
    if (fromRun || !this.order) this.order = facetCounts(d, base, emptySel());
    this.base = base;
    this.activeCount = FACETS.reduce(function (n, k) { return n + sel[k].length; }, 0);
    this.renderFacets();
    this.renderActive();
    this.renderResults(PAGE);
    var n = this.matches.length;
    this.bar.hidden = false;
    this.status.textContent = n ? fmt(n === 1 ? d.ui.search_results_one : d.ui.search_results, n) : d.ui.search_no_results;
    this.renderNote();
    this.renderEmpty();
    this.root.setAttribute("data-cb-query", this.state.q);
    this.root.setAttribute("data-cb-state", "done");
    // For other scripts on the page (the figures view of the result): the cases shown, in order,
    // as indexes into facets.json's rows ("facets order") and as case ids.
    var detail = { query: this.state.q, rows: this.matches.slice(), ids: this.matches.map(function (i) { return d.rows[i][0]; }) };
    this.root.dispatchEvent(new CustomEvent("cb:results", { bubbles: true, detail: detail }));
  };

  SearchPage.prototype.renderResults = function (upto) {
    var self = this, d = this.data, rows = this.matches, hits = this.result && this.result.hits;
    upto = Math.min(upto, rows.length);
    if (upto <= PAGE || this.shown > upto) { this.list.textContent = ""; this.shown = 0; }
    for (var n = this.shown; n < upto; n++) {
      var i = rows[n], r = d.rows[i];
      var how = (this.result && this.result.how && this.result.how[i]) || "exact";
      var prev = n > 0 && this.result && this.result.how ? this.result.how[rows[n - 1]] || "exact" : null;
      // A line before the first loose match, and before partial matches.
      if ((how === "loose" || how === "partial") && prev !== how) {
        var note = el("li", "cb-results__divider", how === "loose" ? d.ui.search_loose_note : d.ui.search_partial_note);
        note.setAttribute("role", "presentation");
        this.list.appendChild(note);
      }
      var li = el("li", "cb-result");
      li.setAttribute("data-id", r[0]);
      if (this.result && this.result.rows) li.setAttribute("data-match", how);
      var h = el("h2", "cb-result__title");
      var a = el("a", null, r[1]);
      a.href = caseHref(this.engine.prefix, r[0]);
      if (r.length > 13 && r[13] === 1) a.setAttribute("lang", "zh");
      h.appendChild(a);
      li.appendChild(h);
      var meta = el("p", "cb-result__meta");
      if (how !== "exact") meta.appendChild(el("span", "cb-result__match cb-result__match--" + how, matchLabel(d, how, this.result, r)));
      meta.appendChild(document.createTextNode(metaLine(d, r) + " · "));
      var model = el("span", "cb-result__model", r[2]);
      model.setAttribute("lang", "zh");
      meta.appendChild(model);
      if (r.length > 14 && r[14]) meta.appendChild(document.createTextNode(" (" + r[14] + ")"));
      li.appendChild(meta);
      if (hits && hits[i]) {
        var ex = el("p", "cb-result__excerpt");
        li.appendChild(ex);
        (function (ex, i, loose) {
          self.engine.excerpt(i, self.result.parts, loose).then(function (frag) { ex.appendChild(frag); }, function () {});
        })(ex, i, how === "loose");
      } else if (!this.result || !this.result.rows || how === "category") {
        var line = el("p", "cb-result__excerpt cb-result__summary");
        li.appendChild(line);
        (function (line) {
          self.engine.summaryLine(i).then(function (txt) { if (txt) line.textContent = txt; }, function () {});
        })(line);
      }
      this.list.appendChild(li);
    }
    this.shown = upto;
    this.more.hidden = upto >= rows.length;
  };

  SearchPage.prototype.renderActive = function () {
    var self = this, d = this.data, sel = this.state.sel, ui = d.ui;
    this.chips.textContent = "";
    var any = false;
    FACETS.forEach(function (k) {
      sel[k].forEach(function (v) {
        any = true;
        var li = el("li");
        var b = el("button", "cb-chip cb-search__chip");
        b.type = "button";
        b.appendChild(el("span", "cb-search__chip-facet", facetName(ui, k) + "："));
        b.appendChild(el("span", null, valueLabel(d, k, v)));
        b.appendChild(el("span", "cb-search__chip-x", "×"));
        b.setAttribute("aria-label", ui.search_remove + " " + facetName(ui, k) + " " + valueLabel(d, k, v));
        b.addEventListener("click", function () {
          sel[k] = sel[k].filter(function (x) { return x !== v; });
          if (k === "p") {
            sel.c = sel.c.filter(function (cc) {
              var ci = cityIndex(d, cc);
              return ci < 0 || d.f.f.p[d.f.f.c[ci][2]][0] !== v;
            });
          }
          self.update(false);
          self.input.focus();
        });
        li.appendChild(b);
        self.chips.appendChild(li);
      });
    });
    this.active.hidden = !any;
  };

  /* The word a facet's heading and its chips share (a city is a region too). */
  function facetName(ui, k) {
    return { p: ui.regions, c: ui.regions, g: ui.groups, t: ui.topics, th: ui.themes, y: ui.years, l: ui.actor_levels, k: ui.models }[k];
  }

  function listSep(lang) { return lang === "zh" ? "；" : "; "; }

  function matchLabel(d, how, result, r) {
    if (how === "loose") return d.ui.search_match_loose;
    if (how === "partial") return d.ui.search_match_partial;
    if (how === "split") return d.ui.search_match_split;
    var cat = (result && result.cats || []).filter(function (c) { return inCategory(r, c); })[0];
    return d.ui.search_match_category + (cat ? "：" + d.f.f[cat[0]][cat[1]][1] : "");
  }

  /* Link to a category's own page (the browse indexes). */
  function categoryHref(prefix, facet, slug) {
    var folder = { g: "groups", t: "topics", th: "themes", k: "models" }[facet];
    return prefix + folder + "/" + encodeURIComponent(slug) + ".html";
  }

  function categoryLinks(self, d, cats) {
    var span = el("span", "cb-search__cats"), seen = {};
    cats.forEach(function (c) {
      var key = c[0] + ":" + c[1];
      if (seen[key]) return;
      seen[key] = true;
      var v = d.f.f[c[0]][c[1]];
      var a = el("a", "cb-chip", v[1]);
      a.href = categoryHref(self.engine.prefix, c[0], v[0]);
      span.appendChild(a);
    });
    return span;
  }

  /* Above the results: the categories the query names, and related ones. */
  SearchPage.prototype.renderNote = function () {
    var d = this.data, res = this.result, ui = d.ui;
    this.note.textContent = "";
    var any = false;
    if (res && res.rows && res.cats && res.cats.length) {
      var p = el("p", "cb-search__note-line", fmt(ui.search_category_note, 0).replace("{q}", this.state.q.trim()) + " ");
      p.appendChild(categoryLinks(this, d, res.cats));
      this.note.appendChild(p);
      any = true;
    }
    if (res && res.rows && res.split) {
      var words = res.split.map(function (w) { return "“" + w + "”"; }).join(ui.search_split_and);
      this.note.appendChild(el("p", "cb-search__note-line", ui.search_split_note.replace("{q}", this.state.q.trim()).replace("{parts}", words)));
      any = true;
    }
    if (res && res.rows && res.related && res.related.length) {
      var q = el("p", "cb-search__note-line", ui.search_related_note + " ");
      q.appendChild(categoryLinks(this, d, res.related));
      this.note.appendChild(q);
      any = true;
    }
    this.note.hidden = !any;
  };

  /* Nearest names to a query: Dice coefficient over character pairs (single characters for short
   * names), best first; only names that share something. */
  function nearest(query, names, max) {
    function grams(s) {
      var ch = Array.from(s), out = {};
      if (ch.length < 2) { ch.forEach(function (c) { out[c] = 1; }); return out; }
      for (var k = 0; k + 1 < ch.length; k++) out[ch[k] + ch[k + 1]] = 1;
      return out;
    }
    var qg = grams(query), qn = Object.keys(qg).length, qc = Array.from(query);
    var scored = [];
    names.forEach(function (n) {
      if (!n.key) return;
      var g = grams(n.key), gn = Object.keys(g).length, common = 0;
      Object.keys(g).forEach(function (x) { if (qg[x]) common++; });
      var score = qn + gn ? (2 * common) / (qn + gn) : 0;
      // a name sharing characters but no pair still counts a little
      if (!common) {
        var shared = Array.from(n.key).filter(function (c) { return qc.indexOf(c) >= 0 && /[\u3400-\u9fff]/.test(c); }).length;
        score = shared >= 2 ? shared / (2 * Math.max(qc.length, n.key.length)) : 0;
      }
      if (n.key.indexOf(query) >= 0 || query.indexOf(n.key) >= 0) score += 0.5;
      if (score > 0.15) scored.push([score, n]);
    });
    scored.sort(function (a, b) { return (b[0] - a[0]) || (a[1].key.length - b[1].key.length); });
    return scored.slice(0, max).map(function (s) { return s[1]; });
  }

  /* An empty result is never a dead end: the filters that still apply (and what clearing them
   * gives), the nearest category and model names, the browse indexes. Built from facets.json,
   * which the search page has already: nothing more is fetched. */
  SearchPage.prototype.renderEmpty = function () {
    var self = this, d = this.data, ui = d.ui, sel = this.state.sel, q = this.state.q.trim();
    var box = this.empty;
    box.textContent = "";
    if (this.matches.length || !this.result || (!this.result.rows && !this.activeCount)) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el("p", "cb-empty__title", q ? fmt(ui.search_empty_title, 0).replace("{q}", q) : ui.search_no_results));
    if (this.activeCount) {
      var p = el("p", "cb-empty__filters", ui.search_empty_filters + " ");
      var names = [];
      FACETS.forEach(function (k) { sel[k].forEach(function (v) { names.push(facetName(ui, k) + "：" + valueLabel(d, k, v)); }); });
      p.appendChild(el("span", "cb-empty__filter-list", names.join(listSep(self.engine.lang))));
      box.appendChild(p);
      var without = this.base.length;
      var line = el("p", "cb-empty__without", without ? fmt(ui.search_empty_without, without) + " " : "");
      var clear = el("button", "md-button cb-empty__clear", ui.search_empty_clear);
      clear.type = "button";
      clear.addEventListener("click", function () { self.state.sel = emptySel(); self.update(false); self.input.focus(); });
      line.appendChild(clear);
      box.appendChild(line);
    }
    if (q && this.result.rows && !this.result.rows.length) {
      box.appendChild(el("p", "cb-empty__fields", ui.search_empty_fields));
      var key = searchKey(q, d.t2s);
      // categories: labels and aliases (each category once)
      var names2 = [], seenCat = {};
      Object.keys(d.f.a || {}).forEach(function (k) { d.f.a[k].forEach(function (c) { names2.push({ key: k, cat: c }); }); });
      var cats = nearest(key, names2, 30).filter(function (n) {
        var id = n.cat[0] + ":" + n.cat[1];
        if (seenCat[id]) return false;
        seenCat[id] = true;
        return true;
      }).slice(0, 5).map(function (n) { return n.cat; });
      if (cats.length) {
        var cp = el("p", "cb-empty__near", ui.search_empty_near + " ");
        cp.appendChild(categoryLinks(this, d, cats));
        box.appendChild(cp);
      }
      // model names as printed
      var models = [], seenModel = {};
      d.rows.forEach(function (r) {
        var m = r[2];
        if (!m || seenModel[m]) return;
        seenModel[m] = true;
        models.push({ key: searchKey(m, d.t2s), name: m });
      });
      var near = nearest(key, models, 5);
      if (near.length) {
        var mp = el("p", "cb-empty__models", ui.search_empty_models + " ");
        near.forEach(function (n, k) {
          if (k) mp.appendChild(document.createTextNode(listSep(self.engine.lang)));
          var a = el("a", null, n.name);
          a.setAttribute("lang", "zh");
          a.href = "?q=" + encodeURIComponent(n.name);
          a.addEventListener("click", function (e) { e.preventDefault(); self.input.value = n.name; self.setQuery(n.name, true); });
          mp.appendChild(a);
        });
        box.appendChild(mp);
      }
    }
    var bp = el("p", "cb-empty__browse", ui.search_empty_browse + " ");
    [["cases/index.html", ui.all_cases], ["regions/index.html", ui.regions], ["groups/index.html", ui.groups],
     ["topics/index.html", ui.topics], ["themes/index.html", ui.themes], ["models/index.html", ui.models],
     ["years/index.html", ui.years]].forEach(function (x, k) {
      if (k) bp.appendChild(document.createTextNode(" · "));
      var a = el("a", null, x[1]);
      a.href = self.engine.prefix + x[0];
      bp.appendChild(a);
    });
    box.appendChild(bp);
  };

  function valueLabel(d, k, v) {
    var list = d.f.f[k];
    if (k === "y") return v;
    for (var i = 0; i < list.length; i++) if (list[i][0] === v) return list[i][1];
    return v;
  }

  SearchPage.prototype.renderFacets = function () {
    var self = this, d = this.data, ui = d.ui, counts = this.counts, sel = this.state.sel;
    var focusKey = this.focusKey || (document.activeElement && document.activeElement.getAttribute && document.activeElement.getAttribute("data-key"));
    this.focusKey = null;
    this.facets.textContent = "";
    this.facets.hidden = false;
    var details = el("details", "cb-facets__details");
    details.open = this.facetsOpen;
    details.appendChild(el("summary", "cb-facets__summary", ui.search_filters + (this.activeCount ? " (" + this.activeCount + ")" : "")));
    details.addEventListener("toggle", function () { self.facetsOpen = details.open; });
    var inner = el("div", "cb-facets__inner");
    details.appendChild(inner);
    this.facets.appendChild(details);

    function section(k, title, values) {
      // values: [[value, label, count, children?]]
      var box = el("section", "cb-facet");
      box.setAttribute("data-facet", k);
      box.appendChild(el("h2", "cb-facet__title", title));
      var ul = el("ul", "cb-facet__list");
      var limit = self.expanded[k] ? 1e9 : 8, shown = 0, hidden = 0;
      values.forEach(function (v) {
        var checked = sel[k].indexOf(v[0]) >= 0;
        if (!checked && !v[2]) return;
        if (!checked && shown >= limit) { hidden++; return; }
        shown++;
        ul.appendChild(item(k, v, checked));
      });
      box.appendChild(ul);
      if (hidden) {
        var more = el("button", "cb-facet__more", ui.search_show_more_values + " (" + hidden + ")");
        more.type = "button";
        more.addEventListener("click", function () { self.expanded[k] = true; self.renderFacets(); });
        box.appendChild(more);
      }
      if (shown) inner.appendChild(box);
    }

    function item(k, v, checked) {
      var li = el("li", "cb-facet__item");
      var label = el("label", "cb-facet__value");
      var box = el("input");
      box.type = "checkbox";
      box.value = v[0];
      box.checked = checked;
      box.setAttribute("data-facet", k);
      box.setAttribute("data-key", k + ":" + v[0]);
      label.appendChild(box);
      label.appendChild(el("span", "cb-facet__label", v[1]));
      label.appendChild(el("span", "cb-facet__count", v[2] || 0));
      li.appendChild(label);
      if (v[3] && v[3].length) {
        var sub = el("ul", "cb-facet__list cb-facet__list--sub");
        v[3].forEach(function (c) {
          var cChecked = sel.c.indexOf(c[0]) >= 0;
          if (cChecked || c[2]) sub.appendChild(item("c", c, cChecked));
        });
        if (sub.firstChild) li.appendChild(sub);
      }
      return li;
    }

    // By the count without filters (this.order), so that a value stays where it is while ticking.
    var order = this.order || counts;
    function byCount(list, k) {
      return list.map(function (x, i) { return [x, i, (order[k] && order[k][x[0]]) || 0]; })
        .sort(function (a, b) { return (b[2] - a[2]) || (a[1] - b[1]); })
        .map(function (x) { return x[0]; });
    }

    var f = d.f.f;
    var provinces = byCount(f.p.map(function (p, pi) {
      var kids = null;
      if (sel.p.indexOf(p[0]) >= 0) {
        kids = byCount(f.c.filter(function (c) { return c[2] === pi; }).map(function (c) { return [c[0], c[1], counts.c[c[0]] || 0]; }), "c");
      }
      return [p[0], p[1], counts.p[p[0]] || 0, kids];
    }), "p");
    section("p", facetName(ui, "p"), provinces);
    // Cities chosen without their province (from a shared link) still show, so they can be removed.
    var orphan = sel.c.filter(function (cc) {
      var ci = cityIndex(d, cc);
      return ci < 0 || sel.p.indexOf(f.p[f.c[ci][2]][0]) < 0;
    }).map(function (cc) { return [cc, valueLabel(d, "c", cc), counts.c[cc] || 0]; });
    if (orphan.length) section("c", facetName(ui, "c"), orphan);
    section("g", ui.groups, byCount(f.g.map(function (g) { return [g[0], g[1], counts.g[g[0]] || 0]; }), "g"));
    section("t", ui.topics, byCount(f.t.map(function (t) { return [t[0], t[1], counts.t[t[0]] || 0]; }), "t"));
    section("th", ui.themes, f.th.map(function (t) { return [t[0], t[1], counts.th[t[0]] || 0]; }));
    section("l", ui.actor_levels, (f.l || []).map(function (l) { return [l[0], l[1], counts.l[l[0]] || 0]; }));
    section("y", ui.years, f.y.map(function (y) { return [y, y, counts.y[y] || 0]; }));
    // On a phone the panel covers the results: a button shows them (and closes the panel).
    var show = el("button", "md-button md-button--primary cb-facets__show", fmt(ui.search_show_results, this.matches.length));
    show.type = "button";
    show.addEventListener("click", function () {
      details.open = false;
      self.facetsOpen = false;
      self.status.scrollIntoView({ block: "start" });
      var first = self.list.querySelector("a");
      if (first) first.focus({ preventScroll: true });
    });
    if (this.matches.length) inner.appendChild(show);
    if (focusKey) {
      var again = this.facets.querySelector('input[data-key="' + focusKey.replace(/["\\]/g, "") + '"]');
      if (again) again.focus();
    }
  };

  /* ---------------------------------------------------------------- the header box */

  function HeaderBox(box, engine) {
    this.box = box;
    this.engine = engine;
    this.toggle = document.getElementById("__search");
    this.input = box.querySelector("[data-cb-box-input]");
    this.form = box.querySelector("form");
    this.meta = box.querySelector("[data-cb-box-meta]");
    this.list = box.querySelector(".md-search-result__list");
    this.seq = 0;
    this.queue = {};
    this.bind();
  }

  HeaderBox.prototype.open = function () {
    if (this.toggle && !this.toggle.checked) {
      this.toggle.checked = true;
      this.toggle.dispatchEvent(new Event("change"));
    }
    this.input.focus();
    this.engine.warm();
  };

  HeaderBox.prototype.close = function () {
    if (this.toggle && this.toggle.checked) {
      this.toggle.checked = false;
      this.toggle.dispatchEvent(new Event("change"));
    }
    this.input.blur();
  };

  HeaderBox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("focus", function () { self.open(); });
    this.input.addEventListener("input", function (e) { if (!e.isComposing) self.run(); });
    this.input.addEventListener("compositionend", function () { self.run(); });
    this.form.addEventListener("reset", function () {
      setTimeout(function () { self.run(); self.input.focus(); }, 0);
    });
    this.form.addEventListener("submit", function (e) {
      if (!self.input.value.trim()) e.preventDefault();
    });
    if (this.toggle) {
      this.toggle.addEventListener("change", function () {
        if (self.toggle.checked && document.activeElement !== self.input) self.input.focus();
      });
    }
    // Focus leaving the box by keyboard (Tab past its last result) closes it.
    this.box.addEventListener("focusout", function (e) {
      var to = e.relatedTarget;
      if (to && !self.box.contains(to) && self.toggle && self.toggle.checked) self.close();
    });
    this.box.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a");
      if (a && self.box.contains(a)) self.close();
    });
    this.input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") { self.move(e.key === "ArrowDown" ? 1 : -1); e.preventDefault(); }
    });
    this.list.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") { self.move(e.key === "ArrowDown" ? 1 : -1); e.preventDefault(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      var open = self.toggle ? self.toggle.checked : document.activeElement === self.input;
      if (e.key === "Escape" && (open || document.activeElement === self.input)) {
        self.close();
        e.preventDefault();
        return;
      }
      if (open || e.isComposing) return;
      if (e.key !== "/" && e.key !== "s" && e.key !== "f" && e.key !== "S" && e.key !== "F") return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      self.open();
      self.input.select();
    });
  };

  HeaderBox.prototype.move = function (step) {
    var links = [this.input].concat(Array.prototype.slice.call(this.list.querySelectorAll("a")));
    var at = links.indexOf(document.activeElement);
    var next = links[(Math.max(0, at) + step + links.length) % links.length];
    if (next) next.focus();
  };

  HeaderBox.prototype.run = function () {
    var self = this, q = this.input.value, seq = ++this.seq;
    if (!q.trim()) {
      this.list.textContent = "";
      this.meta.textContent = this.box.getAttribute("data-cb-initial") || "";
      this.box.removeAttribute("data-cb-query");
      return Promise.resolve();
    }
    if (!this.engine.dataPromise) this.meta.textContent = this.box.getAttribute("data-cb-loading") || "";
    this.engine.latest(this.queue, q, function (res) {
      if (seq !== self.seq) return;
      self.engine.data().then(function (d) { if (seq === self.seq) self.render(res, d, q); });
    }, function (err) {
      if (seq !== self.seq) return;
      self.list.textContent = "";
      self.meta.textContent = unavailable(self.engine.lang);
      if (location.protocol !== "file:") self.engine.data().then(function (d) { self.meta.textContent = d.ui.search_error; }, function () {});
      if (window.console) console.warn("casebook search:", err);
    });
    return Promise.resolve();
  };

  HeaderBox.prototype.render = function (res, d, q) {
    var self = this, rows = res.rows || [];
    this.list.textContent = "";
    var n = rows.length;
    this.meta.textContent = n ? fmt(n === 1 ? d.ui.search_results_one : d.ui.search_results, n) : d.ui.search_no_results;
    rows.slice(0, BOX_RESULTS).forEach(function (i) {
      var r = d.rows[i];
      var li = el("li", "md-search-result__item");
      li.setAttribute("data-id", r[0]);
      var a = el("a", "md-search-result__link");
      a.href = caseHref(self.engine.prefix, r[0]);
      var art = el("article", "md-search-result__article md-typeset");
      art.appendChild(el("div", "md-search-result__icon md-icon"));
      var h = el("h1", null, r[1]);
      if (r.length > 13 && r[13] === 1) h.setAttribute("lang", "zh");
      art.appendChild(h);
      var how = (res.how && res.how[i]) || "exact";
      li.setAttribute("data-match", how);
      var meta = el("p", "cb-box__meta");
      if (how !== "exact") meta.appendChild(el("span", "cb-result__match cb-result__match--" + how, matchLabel(d, how, res, r)));
      meta.appendChild(document.createTextNode(metaLine(d, r) + " · " + r[2]));
      art.appendChild(meta);
      var ex = el("p", "cb-box__excerpt");
      art.appendChild(ex);
      if (res.hits && res.hits[i]) {
        self.engine.excerpt(i, res.parts, how === "loose").then(function (frag) { ex.appendChild(frag); }, function () {});
      }
      a.appendChild(art);
      li.appendChild(a);
      self.list.appendChild(li);
    });
    if (n) {
      var li = el("li", "md-search-result__item cb-box__all");
      var a = el("a", "md-search-result__link", fmt(d.ui.search_all_results, n));
      a.href = this.engine.prefix + "search/index.html?q=" + encodeURIComponent(q);
      li.appendChild(a);
      this.list.appendChild(li);
    }
    this.box.setAttribute("data-cb-query", q);
  };

  /* ---------------------------------------------------------------- start */

  /* The language switch keeps the search page's query and filters, and a page's anchor. */
  function keepStateAcrossLanguages(page) {
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[hreflang]");
      if (!a || !a.closest(".md-select")) return;
      var url = new URL(a.getAttribute("href"), location.href);
      if (page && /\/search\/index\.html$/.test(url.pathname)) url.search = location.search;
      if (location.hash && !url.hash) url.hash = location.hash;
      a.href = url.href;
    }, true);
  }

  function homePrefix(home) {
    // "../index.html" → "../"; "index.html" → ""; anything else: up to the last slash.
    home = String(home || "");
    return home.slice(0, home.lastIndexOf("/") + 1);
  }

  /* One search landmark per page: where the page has its own search form (the home page, the
   * search page), the header box is not one. */
  function oneLandmark(box) {
    var inner = box && box.querySelector('[role="search"]');
    if (!inner) return;
    var others = Array.prototype.filter.call(document.querySelectorAll('[role="search"], search'), function (e) { return !box.contains(e); });
    if (others.length) inner.removeAttribute("role");
  }

  function start() {
    var page = document.getElementById("cb-search");
    var box = document.querySelector("[data-cb-box]");
    var lang = (document.documentElement.getAttribute("lang") || "zh").toLowerCase().indexOf("en") === 0 ? "en" : "zh";
    var prefix;
    if (page) prefix = page.getAttribute("data-lang-root") || "";
    else if (box) prefix = homePrefix(box.getAttribute("data-cb-home"));
    oneLandmark(box);
    if (prefix === undefined) return;
    var engine = new Engine(prefix, lang);
    var api = { engine: engine, parseQuery: parseQuery, readState: readState, writeState: writeState };
    if (box) api.box = new HeaderBox(box, engine);
    if (page) api.page = new SearchPage(page, engine);
    /* For tests and the benchmark: the ranked case ids for a query (no facets); rankInfo also
     * says how each matched (exact, category, loose, partial). */
    api.rankInfo = function (q) {
      return engine.search(q).then(function (res) {
        return engine.data().then(function (d) {
          return (res.rows || []).map(function (i) { return { id: d.rows[i][0], m: res.how[i] || "exact" }; });
        });
      });
    };
    api.rank = function (q) {
      return api.rankInfo(q).then(function (list) { return list.map(function (x) { return x.id; }); });
    };
    keepStateAcrossLanguages(page);
    window.casebookSearch = api;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
