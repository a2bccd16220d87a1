/* Casebook search: the header search box (every page) and the search page (search/index.html).
 *
 * Engine: Pagefind, loaded on demand from <language root>/pagefind/. Chinese is indexed one Han
 * character per word (casebook/search.py), so a Chinese query is sent as a quoted phrase of single
 * characters: 外卖骑手 → "外 卖 骑 手". The query is split here, never with Intl.Segmenter.
 * Ranking, facets and date sorting use search/facets.json (written by the generator) and
 * search/pagefind-map.json (Pagefind result id and end of the measures, per case).
 *
 * No request leaves the site; every record string reaches the page as text (textContent), and
 * excerpts are built node by node from the page text Pagefind stores (see Engine.excerpt).
 * Syntax: ES2017 (Chromium ≥ 87 without transpiling); no top-level await.
 */
(function () {
  "use strict";

  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
  var WORDCHAR = /[\p{L}\p{N}]/u;
  /* Quotation marks and dots inside Chinese names: not indexed (casebook/search.py NAME_MARKS). */
  var NAME_MARKS = /[\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009\u00b7\u30fb\u2022]/g;
  var FACETS = ["p", "c", "g", "t", "th", "y"];
  var PAGE = 20;
  var BOX_RESULTS = 8;

  function isHan(ch) { return HAN.test(ch); }

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined && txt !== null) e.textContent = String(txt);
    return e;
  }

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
    this.pf = null;
    this.dataPromise = null;
  }

  Engine.prototype.warm = function () {
    if (!this.pf) {
      var self = this;
      this.pf = import(this.base + "pagefind/pagefind.js").then(function (pf) {
        return pf.options({ excerptLength: 0 }).then(function () {
          pf.init();
          return pf;
        });
      });
    }
    return this.pf;
  };

  /* The index is split in shards (casebook/search.py SHARD_SIZE cases each): pagefind/ is the
   * first, pagefind/s1/ … the others, merged into the first at the first query. */
  Engine.prototype.merge = function (pf, d) {
    if (!this.mergePromise) {
      var jobs = [];
      for (var k = 1; k < d.shards; k++) jobs.push(pf.mergeIndex(this.base + "pagefind/s" + k + "/"));
      this.mergePromise = Promise.all(jobs);
    }
    return this.mergePromise;
  };

  /* search/facets.json: enough for a listing without a query. */
  Engine.prototype.data = function () {
    if (!this.dataPromise) {
      this.dataPromise = getJSON(this.base + "search/facets.json").then(function (f) {
        var d = { f: f, rows: f.c, ui: f.ui, head: [], headWords: [] };
        d.rows.forEach(function (r) {
          var head = [r[1], r[2]].concat(r.length > 12 ? [r[12]] : []).join(" ").replace(NAME_MARKS, "").normalize("NFKC").toLowerCase();
          d.head.push(head);
          d.headWords.push(head.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
        });
        return d;
      });
    }
    return this.dataPromise;
  };

  /* What a query needs besides: Pagefind result id → case, where head and measures end, and the
   * traditional → simplified table. */
  Engine.prototype.searchData = function () {
    if (!this.searchPromise) {
      this.searchPromise = Promise.all([
        this.data(),
        getJSON(this.base + "search/pagefind-map.json"),
        getJSON(this.base + "search/t2s.json")
      ]).then(function (got) {
        var d = got[0], map = got[1];
        d.t2s = got[2];
        d.shards = map.shards || 1;
        d.heads = map.heads;
        d.ends = map.ends;
        d.byId = Object.create(null);
        map.ids.forEach(function (id, i) { d.byId[id] = i; });
        return d;
      });
    }
    return this.searchPromise;
  };

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

  /* Search: every matching row (index into facets rows), ranked; or null for an empty query. */
  Engine.prototype.search = function (raw) {
    var self = this;
    return Promise.all([this.warm(), this.searchData()]).then(function (got) {
      return self.merge(got[0], got[1]).then(function () { return got; });
    }).then(function (got) {
      var pf = got[0], d = got[1];
      var parts = parseQuery(raw, d.t2s);
      if (!parts.length) return { query: raw, parts: parts, rows: null, hits: null };
      return Promise.all(parts.map(function (p) {
        var term = p.phrase ? '"' + p.phrase.join(" ") + '"' : p.words.join(" ");
        return pf.search(term);
      })).then(function (responses) {
        var found = null, tiers = Object.create(null), hits = Object.create(null);
        responses.forEach(function (resp, k) {
          var here = Object.create(null);
          (resp && resp.results ? resp.results : []).forEach(function (res) {
            var i = d.byId[res.id];
            if (i === undefined) return;
            var pos = res.words && res.words.length ? Math.min.apply(null, res.words) : 1e9;
            here[i] = tierOf(d, i, parts[k], pos);
            if (k === 0) hits[i] = res;
          });
          if (found === null) {
            found = here;
            for (var i in here) tiers[i] = here[i];
          } else {
            var next = Object.create(null);
            for (var j in found) if (j in here) { next[j] = true; tiers[j] += here[j]; }
            found = next;
          }
        });
        var rows = Object.keys(found || {}).map(Number);
        rows.sort(function (a, b) { return (tiers[a] - tiers[b]) || (d.rows[b][3] - d.rows[a][3]) || (a - b); });
        return { query: raw, parts: parts, rows: rows, hits: hits, tiers: tiers };
      });
    });
  };

  /* Search for the newest query only: while Pagefind is busy, later queries wait and all but the
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

  /* The excerpt of a hit as DOM nodes (text and <mark> elements built here; nothing is parsed as
   * HTML). Built from the page text Pagefind stores (data().content), after the title and model
   * (shown above the excerpt already): around the first match of the query, every match marked. */
  Engine.prototype.excerpt = function (hit, parts, headWords) {
    var lang = this.lang;
    return hit.data().then(function (data) {
      return excerptNodes(String(data.content || ""), parts || [], headWords || 0, lang);
    });
  };

  var CJK = "\\u3000-\\u303f\\u3400-\\u9fff\\uf900-\\uffef\\u201c\\u201d";
  var CJK_GAP = new RegExp("([" + CJK + "]) (?=[" + CJK + "])", "g");

  function escapeRe(t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function matcher(parts) {
    var alts = parts.map(function (p) {
      if (p.phrase) return p.phrase.map(escapeRe).join("\\s*");
      return "(?<![\\p{L}\\p{N}])" + escapeRe(stem(p.words[0])) + "[\\p{L}\\p{N}]*";
    });
    return alts.length ? new RegExp(alts.join("|"), "giu") : null;
  }

  /* Where word `n` starts in the page text Pagefind returns. English text is split on white space
   * (as Pagefind splits it); in Chinese text (whose U+200B separators pagefind.js removes) a word
   * is a Han character, a run of other letters and digits, or a run of punctuation. */
  var ZH_WORD = /[\u3400-\u9fff\uf900-\ufaff]|(?:(?![\u3400-\u9fff\uf900-\ufaff])[\p{L}\p{N}])+|[^\s\p{L}\p{N}]+/gu;

  function wordOffset(text, n, lang) {
    if (n <= 0) return 0;
    var re = lang === "zh" ? new RegExp(ZH_WORD.source, "gu") : /\S+/g, m, k = 0;
    while ((m = re.exec(text)) !== null) {
      if (k === n) return m.index;
      k++;
    }
    return 0;
  }

  function excerptNodes(content, parts, headWords, lang) {
    content = content.replace(/\u200b/g, "");
    var body = content.slice(wordOffset(content, headWords, lang));
    if (lang !== "zh") body = body.replace(CJK_GAP, "$1");
    body = body.replace(/\s+/g, " ").trim();
    var re = matcher(parts), found = [], m;
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
    var n = { p: {}, c: {}, g: {}, t: {}, th: {}, y: {} };
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
    this.activeCount = FACETS.reduce(function (n, k) { return n + sel[k].length; }, 0);
    this.renderFacets();
    this.renderActive();
    this.renderResults(PAGE);
    var n = this.matches.length;
    this.bar.hidden = false;
    this.status.textContent = n ? fmt(n === 1 ? d.ui.search_results_one : d.ui.search_results, n) : d.ui.search_no_results;
    this.root.setAttribute("data-cb-query", this.state.q);
    this.root.setAttribute("data-cb-state", "done");
  };

  SearchPage.prototype.renderResults = function (upto) {
    var self = this, d = this.data, rows = this.matches, hits = this.result && this.result.hits;
    upto = Math.min(upto, rows.length);
    if (upto <= PAGE || this.shown > upto) { this.list.textContent = ""; this.shown = 0; }
    for (var n = this.shown; n < upto; n++) {
      var i = rows[n], r = d.rows[i];
      var li = el("li", "cb-result");
      li.setAttribute("data-id", r[0]);
      var h = el("h2", "cb-result__title");
      var a = el("a", null, r[1]);
      a.href = caseHref(this.engine.prefix, r[0]);
      if (r.length > 11 && r[11] === 1) a.setAttribute("lang", "zh");
      h.appendChild(a);
      li.appendChild(h);
      var meta = el("p", "cb-result__meta", metaLine(d, r) + " · ");
      var model = el("span", "cb-result__model", r[2]);
      model.setAttribute("lang", "zh");
      meta.appendChild(model);
      if (r.length > 12 && r[12]) meta.appendChild(document.createTextNode(" (" + r[12] + ")"));
      li.appendChild(meta);
      if (hits && hits[i]) {
        var ex = el("p", "cb-result__excerpt");
        li.appendChild(ex);
        (function (ex, hit) {
          self.engine.excerpt(hit, self.result.parts, d.heads[i]).then(function (frag) { ex.appendChild(frag); }, function () {});
        })(ex, hits[i]);
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

  function facetName(ui, k) {
    return { p: ui.search_province, c: ui.search_city, g: ui.groups, t: ui.topics, th: ui.themes, y: ui.years }[k];
  }

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

    function byCount(list) {
      return list.map(function (x, i) { return [x, i]; })
        .sort(function (a, b) { return (b[0][2] - a[0][2]) || (a[1] - b[1]); })
        .map(function (x) { return x[0]; });
    }

    var f = d.f.f;
    var provinces = byCount(f.p.map(function (p, pi) {
      var kids = null;
      if (sel.p.indexOf(p[0]) >= 0) {
        kids = byCount(f.c.filter(function (c) { return c[2] === pi; }).map(function (c) { return [c[0], c[1], counts.c[c[0]] || 0]; }));
      }
      return [p[0], p[1], counts.p[p[0]] || 0, kids];
    }));
    section("p", ui.regions, provinces);
    // Cities chosen without their province (from a shared link) still show, so they can be removed.
    var orphan = sel.c.filter(function (cc) {
      var ci = cityIndex(d, cc);
      return ci < 0 || sel.p.indexOf(f.p[f.c[ci][2]][0]) < 0;
    }).map(function (cc) { return [cc, valueLabel(d, "c", cc), counts.c[cc] || 0]; });
    if (orphan.length) section("c", ui.search_city, orphan);
    section("g", ui.groups, byCount(f.g.map(function (g) { return [g[0], g[1], counts.g[g[0]] || 0]; })));
    section("t", ui.topics, byCount(f.t.map(function (t) { return [t[0], t[1], counts.t[t[0]] || 0]; })));
    section("th", ui.themes, f.th.map(function (t) { return [t[0], t[1], counts.th[t[0]] || 0]; }));
    section("y", ui.years, f.y.map(function (y) { return [y, y, counts.y[y] || 0]; }));
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
      if (r.length > 11 && r[11] === 1) h.setAttribute("lang", "zh");
      art.appendChild(h);
      art.appendChild(el("p", "cb-box__meta", metaLine(d, r) + " · " + r[2]));
      var ex = el("p", "cb-box__excerpt");
      art.appendChild(ex);
      if (res.hits && res.hits[i]) {
        self.engine.excerpt(res.hits[i], res.parts, d.heads[i]).then(function (frag) { ex.appendChild(frag); }, function () {});
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

  function homePrefix(home) {
    // "../index.html" → "../"; "index.html" → ""; anything else: up to the last slash.
    home = String(home || "");
    return home.slice(0, home.lastIndexOf("/") + 1);
  }

  function start() {
    var page = document.getElementById("cb-search");
    var box = document.querySelector("[data-cb-box]");
    var lang = (document.documentElement.getAttribute("lang") || "zh").toLowerCase().indexOf("en") === 0 ? "en" : "zh";
    var prefix;
    if (page) prefix = page.getAttribute("data-lang-root") || "";
    else if (box) prefix = homePrefix(box.getAttribute("data-cb-home"));
    if (prefix === undefined) return;
    var engine = new Engine(prefix, lang);
    var api = { engine: engine, parseQuery: parseQuery, readState: readState, writeState: writeState };
    if (box) api.box = new HeaderBox(box, engine);
    if (page) api.page = new SearchPage(page, engine);
    /* For tests and the benchmark: the ranked case ids for a query (no facets). */
    api.rank = function (q) {
      return engine.search(q).then(function (res) {
        return engine.data().then(function (d) {
          return (res.rows || []).map(function (i) { return d.rows[i][0]; });
        });
      });
    };
    window.casebookSearch = api;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
