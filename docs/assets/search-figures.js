/* Casebook: the figures view of the search page's current result (docs-notes/figures-views.md).
 *
 * Loaded by the search page only (casebook/templates/search.md.j2). docs/assets/search.js announces
 * each result it draws with a `cb:results` event ({query, rows, ids}: rows are indexes into
 * search/facets.json's rows, "facets order"). Once there is a result the button
 * "数据对比：这些结果的全部数据" shows; nothing is fetched until it is pressed. Then the figures of the
 * result's first `cap` cases (search/figures/meta.json; the static views' limit) are read from
 * search/figures/<k>.json (n cases a file, facets order; casebook/searchfigures.py), only the
 * files those cases are in, and drawn with the markup of casebook/templates/figures.md.j2, which
 * CasebookFigures.enhance (docs/assets/figures.js) makes sortable, filterable and downloadable as
 * CSV. A later result redraws the view while it is open. Record text is set with textContent only.
 * Opened from disk, browsers refuse to fetch files: the view says it needs a server.
 * Syntax: ES2017, no modules (as search.js).
 */
(function () {
  "use strict";

  var box = document.getElementById("cb-sfig");
  var root = document.getElementById("cb-search");
  if (!box || !root) return;
  /* the interface strings (casebook/data/ui.yaml): those needed before meta.json arrives from
     the page's data-t-<key> attributes, the others from meta.json's "ui" */
  var T = {};
  Array.prototype.forEach.call(box.attributes, function (a) {
    if (a.name.indexOf("data-t-") === 0) T[a.name.slice(7)] = a.value;
  });
  var toggle = box.querySelector(".cb-sfig__toggle");
  var panel = box.querySelector(".cb-sfig__panel");
  var prefix = root.getAttribute("data-lang-root") || "";
  var base = new URL(prefix || "./", location.href).href;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fill(pattern, values) {
    return String(pattern || "").replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  var status = el("p", "cb-sfig__status");
  status.setAttribute("role", "status");
  var view = el("div", "cb-sfig__view");
  panel.appendChild(status);
  panel.appendChild(view);

  if (location.protocol === "file:") {
    toggle.hidden = true;
    panel.hidden = false;
    box.hidden = false;
    status.textContent = T.sfig_file;
    return;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }
  var cache = Object.create(null);
  function load(name) {
    if (!cache[name]) {
      cache[name] = getJSON(base + "search/figures/" + name + ".json");
      cache[name].catch(function () { delete cache[name]; }); /* a failed file is asked for again next time */
    }
    return cache[name];
  }

  var latest = null; /* the last result announced */
  var drawn = null; /* the result the view shows (or is loading) */
  var seq = 0;

  function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }

  document.addEventListener("cb:results", function (e) {
    latest = e.detail && e.detail.rows ? e.detail : null;
    box.hidden = !latest || latest.rows.length === 0;
    if (isOpen() && !box.hidden) render();
  });

  toggle.addEventListener("click", function () {
    var open = !isOpen();
    toggle.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (open && latest && latest !== drawn) render();
  });

  function render() {
    var result = latest, my = ++seq;
    drawn = result;
    status.textContent = T.sfig_loading;
    load("meta").then(function (meta) {
      Object.keys(meta.ui || {}).forEach(function (k) { T[k] = meta.ui[k]; });
      var n = meta.n, cap = meta.cap;
      var rows = result.rows.slice(0, cap), ids = (result.ids || []).slice(0, cap);
      var files = [];
      rows.forEach(function (r) {
        var k = Math.floor(r / n);
        if (files.indexOf(k) < 0) files.push(k);
      });
      return Promise.all(files.map(function (k) { return load(String(k)); })).then(function (lists) {
        if (my !== seq) return;
        var entries = rows.map(function (r, j) {
          var entry = lists[files.indexOf(Math.floor(r / n))][r % n];
          /* an entry for another case: files of another build than facets.json */
          if (entry === undefined || (entry && ids[j] !== undefined && entry[0] !== ids[j])) throw new Error("search/figures does not match search/facets.json");
          return entry;
        }).filter(Boolean);
        draw(entries, meta, result.rows.length, rows.length);
      });
    }).catch(function (err) {
      if (my !== seq) return;
      drawn = null;
      view.textContent = "";
      status.textContent = T.sfig_error;
      if (window.console) console.warn("casebook figures of the result:", err);
    });
  }

  /* The markup of templates/figures.md.j2 (with _figures.j2's rows), built from the data. */
  function draw(entries, meta, total, shown) {
    var previous = view.querySelector(".cb-figtools__filter");
    var keep = previous ? previous.value : "*";
    view.textContent = "";
    status.textContent = "";
    var block = el("div", "cb-figview");
    block.appendChild(el("h2", "cb-sfig__title", T.fig_view));
    if (total > shown) block.appendChild(el("p", "cb-sfig__cap", fill(T.sfig_cap, { n: shown, total: total })));
    var figures = 0, untagged = 0, counts = Object.create(null);
    entries.forEach(function (e) {
      e[5].forEach(function (f) {
        figures += 1;
        if (f[0]) counts[f[0]] = (counts[f[0]] || 0) + 1;
        else untagged += 1;
      });
    });
    if (!entries.length) {
      status.textContent = T.sfig_none;
      view.appendChild(block);
      return;
    }
    var count = el("p", "cb-count");
    count.appendChild(el("strong", null, entries.length));
    count.appendChild(document.createTextNode(" " + (entries.length === 1 ? T.fig_cases_one : T.fig_cases) + " · "));
    count.appendChild(el("strong", null, figures));
    count.appendChild(document.createTextNode(" " + (figures === 1 ? T.fig_count_one : T.fig_count)));
    if (figures > untagged) count.appendChild(document.createTextNode(" · " + (figures - untagged) + " " + T.fig_tagged));
    block.appendChild(count);
    block.appendChild(el("p", "cb-fig-lead", T.fig_lead));

    var tools = el("div", "cb-figtools");
    tools.hidden = true;
    tools.setAttribute("data-shown", T.fig_shown);
    tools.setAttribute("data-asc", T.fig_asc);
    tools.setAttribute("data-desc", T.fig_desc);
    tools.setAttribute("data-option", T.fig_sort_option);
    tools.setAttribute("data-name", "search-figures.csv");
    var filter = el("select", "cb-figtools__filter");
    function option(value, label, n) {
      var o = el("option", null, label + fill(T.fig_n, { n: n }));
      o.value = value;
      filter.appendChild(o);
    }
    option("*", T.fig_all, figures);
    var labels = Object.create(null);
    meta.i.forEach(function (term) {
      labels[term[0]] = term[1];
      if (counts[term[0]]) option(term[0], term[1], counts[term[0]]);
    });
    if (untagged) option("", T.fig_untagged, untagged);
    var label = el("label", null, T.fig_filter + T.colon);
    label.appendChild(filter);
    tools.appendChild(label);
    var sort = el("select", "cb-figtools__sort");
    var listing = el("option", null, T.fig_sort_listing);
    listing.value = "";
    sort.appendChild(listing);
    label = el("label", null, T.fig_sort + T.colon);
    label.appendChild(sort);
    tools.appendChild(label);
    var csv = el("button", "md-button cb-figtools__csv", T.fig_csv);
    csv.type = "button";
    tools.appendChild(csv);
    var shownCount = el("span", "cb-figtools__shown");
    shownCount.setAttribute("role", "status");
    tools.appendChild(shownCount);
    block.appendChild(tools);

    var table = el("table", "cb-figtable");
    table.setAttribute("data-case", T.fig_case);
    table.setAttribute("data-place", T.fig_place);
    table.setAttribute("data-csv-extra", [T.fig_case_id, T.fig_number, T.fig_high, T.fig_unit, T.fig_printed].join("|"));
    var head = el("tr");
    [["text", T.fig_indicator], ["text", T.fig_subject], ["v", T.fig_value], ["d", T.fig_date], ["text", T.fig_source]].forEach(function (h) {
      var th = el("th", h[0] === "v" ? "cb-value" : null, h[1]);
      th.scope = "col";
      th.setAttribute("data-k", h[0]);
      head.appendChild(th);
    });
    table.createTHead().appendChild(head);
    entries.forEach(function (e) { table.appendChild(caseRows(e, labels)); });
    var wrap = el("div", "cb-figtable-wrap");
    wrap.appendChild(table);
    block.appendChild(wrap);
    view.appendChild(block);

    if (window.CasebookFigures) {
      window.CasebookFigures.enhance(block);
      if (keep !== "*" && Array.prototype.some.call(filter.options, function (o) { return o.value === keep; })) {
        filter.value = keep;
        filter.dispatchEvent(new Event("change"));
      }
    }
  }

  /* One case: [id, title, place, source, title_is_zh, figures] → a <tbody> as _figures.j2 writes it. */
  function caseRows(e, labels) {
    var body = el("tbody");
    body.setAttribute("data-c", e[0]);
    var headRow = el("tr", "cb-fcase");
    var th = el("th");
    th.colSpan = 5;
    th.scope = "rowgroup";
    var a = el("a", null, e[1]);
    a.href = prefix + "cases/" + encodeURIComponent(e[0]) + ".html";
    if (e[4]) a.lang = "zh";
    th.appendChild(a);
    th.appendChild(document.createTextNode(" "));
    th.appendChild(el("span", "cb-fplace", e[2]));
    if (e[3]) {
      th.appendChild(document.createTextNode(" "));
      th.appendChild(el("span", "cb-fsrc", e[3]));
    }
    headRow.appendChild(th);
    body.appendChild(headRow);
    e[5].forEach(function (f) {
      /* [indicator, subject, value, number, high, unit, date, date_text, printed, printed_differs, source, subject_is_zh] */
      var tr = el("tr");
      var printed = f[8] || f[2];
      if (f[0]) tr.setAttribute("data-i", f[0]);
      if (f[3] !== "") tr.setAttribute("data-v", f[3]);
      if (f[4] !== "") tr.setAttribute("data-h", f[4]);
      tr.setAttribute("data-u", f[5]);
      if (f[6]) tr.setAttribute("data-d", f[6]);
      if (!f[9]) tr.setAttribute("data-p", printed);
      tr.appendChild(el("td", null, f[0] ? labels[f[0]] || f[0] : ""));
      var subject = el("td", null, f[1]);
      if (f[11]) subject.lang = "zh";
      tr.appendChild(subject);
      var value = el("td", null, f[2]);
      if (f[9]) {
        var small = el("small", null, T.fig_as_printed);
        var words = el("span", null, "“" + printed + "”");
        words.lang = "zh";
        small.appendChild(words);
        value.appendChild(small);
      }
      tr.appendChild(value);
      tr.appendChild(el("td", null, f[7]));
      tr.appendChild(el("td", null, f[10]));
      body.appendChild(tr);
    });
    return body;
  }
})();
