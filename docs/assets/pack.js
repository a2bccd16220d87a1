/* Print header and meeting pack (issue 15 §6; docs-notes/print.md).
 *
 * Every page: a header shown only in print (archive name, this page's address, the record id on a
 * case page, the date printed), filled in by the browser. Listings and search results: a tick box
 * on each case ("add to meeting pack"), the choice kept in localStorage (at most 30), and a bar with
 * the pack link, "add this page's cases" and "print this page". The pack page (search/pack.html):
 * reads ?ids=a,b,c and fetches each case page to copy its summary, measures, figures and
 * citations in, one case a printed page. Labels come from data/pack-ui.js (casebook/pack.py).
 * Text from pages is moved as DOM nodes or set with textContent; nothing goes through innerHTML.
 */
(function () {
  "use strict";
  var UI = window.cbPackUi;
  if (!UI) return;
  var lang = (document.documentElement.getAttribute("lang") || "zh").slice(0, 2) === "en" ? "en" : "zh";
  var T = UI[lang];
  var MAX = UI.max || 30;
  var KEY = "cb-pack";
  var CASE_RE = /\/cases\/([^\/?#]+)\.html$/;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function fill(s, n) { return s.replace("{n}", String(n)); }

  // The site root, from Material's configuration (base is relative to this page).
  function siteRoot() {
    var base = ".";
    var cfg = document.getElementById("__config");
    if (cfg) { try { base = JSON.parse(cfg.textContent).base || "."; } catch (e) { /* keep "." */ } }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }
  function packUrl(ids) {
    var u = new URL(UI.page[lang], siteRoot());
    if (ids && ids.length) u.search = "?ids=" + ids.map(encodeURIComponent).join(",");
    return u.href;
  }
  function caseId(href) {
    var m;
    try { m = CASE_RE.exec(new URL(href, location.href).pathname); } catch (e) { return null; }
    if (!m) return null;
    var id = decodeURIComponent(m[1]);
    return /^index(-p\d+)?$/.test(id) ? null : id;
  }
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  // --- print header --------------------------------------------------------------------------
  var head = el("div", "cb-printhead");
  head.setAttribute("aria-hidden", "true");
  function fillHead() {
    head.textContent = "";
    head.appendChild(el("strong", "cb-printhead__name", T.archive_name));
    var id = document.querySelector(".cb-case-head") ? caseId(location.pathname) : null;
    if (id) head.appendChild(el("span", "cb-printhead__id", T.print_record_id + (lang === "zh" ? "：" : ": ") + id));
    head.appendChild(el("span", "cb-printhead__date", T.print_date + (lang === "zh" ? "：" : ": ") + today()));
    head.appendChild(el("span", "cb-printhead__url", location.href.split("#")[0]));
  }
  fillHead();
  document.body.appendChild(head);
  window.addEventListener("beforeprint", fillHead);

  // --- the choice ----------------------------------------------------------------------------
  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string"; }).slice(0, MAX) : [];
    } catch (e) { return []; }
  }
  function save(ids) { try { localStorage.setItem(KEY, JSON.stringify(ids)); } catch (e) { /* private mode */ } }

  var packPage = document.getElementById("cb-pack");
  if (packPage) { buildPack(packPage); return; }

  var bar = null, link, addPage, note;
  function boxes() { return Array.prototype.slice.call(document.querySelectorAll("input.cb-packtick__box")); }
  function refresh() {
    var ids = load();
    boxes().forEach(function (b) { b.checked = ids.indexOf(b.value) >= 0; });
    if (!bar) return;
    link.textContent = fill(T.pack_button, ids.length);
    link.href = packUrl(ids);
    link.hidden = ids.length === 0;
    addPage.hidden = boxes().length === 0;
  }
  function toggle(id, on) {
    var ids = load(), at = ids.indexOf(id);
    if (on && at < 0) {
      if (ids.length >= MAX) { note.textContent = fill(T.pack_full, MAX); refresh(); return; }
      ids.push(id);
    } else if (!on && at >= 0) ids.splice(at, 1);
    note.textContent = "";
    save(ids);
    refresh();
  }
  function tick(li, id, title) {
    if (!id || li.querySelector(".cb-packtick")) return;
    var label = el("label", "cb-packtick");
    var box = el("input", "cb-packtick__box");
    box.type = "checkbox";
    box.value = id;
    if (title) box.setAttribute("aria-label", T.pack_tick + (lang === "zh" ? "：" : ": ") + title);
    box.addEventListener("change", function () { toggle(id, box.checked); });
    label.appendChild(box);
    label.appendChild(el("span", null, T.pack_tick));
    li.appendChild(label);
  }
  function scan(root) {
    var items = root.querySelectorAll(".cb-list > li.cb-item");
    for (var i = 0; i < items.length; i++) {
      var a = items[i].querySelector("a.cb-item__title");
      if (a && !items[i].closest(".cb-related")) tick(items[i], caseId(a.getAttribute("href")), a.textContent);
    }
    var results = root.querySelectorAll("li.cb-result[data-id]");
    for (var j = 0; j < results.length; j++) {
      var t = results[j].querySelector(".cb-result__title a");
      tick(results[j], results[j].getAttribute("data-id"), t ? t.textContent : "");
    }
  }
  function makeBar() {
    bar = el("div", "cb-packbar");
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", T.pack);
    link = el("a", "md-button md-button--primary cb-packbar__link");
    addPage = el("button", "md-button cb-packbar__add", T.pack_add_page);
    addPage.type = "button";
    addPage.addEventListener("click", function () {
      var ids = load(), full = false;
      boxes().forEach(function (b) {
        if (ids.indexOf(b.value) >= 0) return;
        if (ids.length >= MAX) { full = true; return; }
        ids.push(b.value);
      });
      save(ids);
      note.textContent = full ? fill(T.pack_full, MAX) : "";
      refresh();
    });
    var clear = el("button", "md-button cb-packbar__clear", T.pack_clear);
    clear.type = "button";
    clear.addEventListener("click", function () { save([]); note.textContent = ""; refresh(); });
    var print = el("button", "md-button cb-packbar__print", T.pack_print_page);
    print.type = "button";
    print.addEventListener("click", function () { window.print(); });
    note = el("span", "cb-packbar__note");
    note.setAttribute("role", "status");
    [link, addPage, clear, print, note].forEach(function (x) { bar.appendChild(x); });
    document.body.appendChild(bar);
  }

  scan(document);
  var results = document.getElementById("cb-results");
  if (boxes().length || results || load().length) makeBar();
  refresh();
  if (results && window.MutationObserver) {
    // search.js (not ours) renders the results: tick them as they appear.
    new MutationObserver(function () { scan(results); refresh(); }).observe(results, { childList: true });
  }
  window.addEventListener("storage", function (e) { if (e.key === KEY) refresh(); });

  // --- the pack page -------------------------------------------------------------------------
  function buildPack(root) {
    var status = document.getElementById("cb-pack-status");
    var toc = document.getElementById("cb-pack-toc");
    var list = toc.querySelector("ol");
    var holder = document.getElementById("cb-pack-cases");
    var printBtn = document.getElementById("cb-pack-print");
    printBtn.addEventListener("click", function () { window.print(); });
    var param = new URLSearchParams(location.search).get("ids");
    var ids = (param ? param.split(",") : load()).map(function (s) { return s.trim(); })
      .filter(function (s, i, all) { return s && all.indexOf(s) === i; }).slice(0, MAX);
    if (!ids.length) { status.textContent = T.pack_empty; return; }
    if (location.protocol === "file:") { status.textContent = T.pack_needs_server; return; }
    status.textContent = T.pack_loading;
    var base = new URL("../cases/", location.href);
    Promise.all(ids.map(function (id) {
      var url = new URL(encodeURIComponent(id) + ".html", base).href;
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      }).then(function (html) {
        return { id: id, url: url, doc: new DOMParser().parseFromString(html, "text/html") };
      }, function () { return { id: id, url: url, doc: null }; });
    })).then(function (got) {
      var n = 0;
      got.forEach(function (g, i) {
        var sec = el("section", "cb-pack__case");
        sec.id = "pack-" + (i + 1);
        var h1 = g.doc && g.doc.querySelector(".cb-case-head h1");
        var title = h1 ? h1.textContent : g.id;
        var h = el("h2", "cb-pack__title", (i + 1) + ". " + title);
        if (h1 && h1.getAttribute("lang")) h.setAttribute("lang", h1.getAttribute("lang"));
        sec.appendChild(h);
        var li = el("li");
        var a = el("a", null, title);
        a.href = "#" + sec.id;
        li.appendChild(a);
        list.appendChild(li);
        var meta = el("p", "cb-pack__meta");
        meta.appendChild(el("span", null, T.print_record_id + (lang === "zh" ? "：" : ": ") + g.id));
        meta.appendChild(document.createTextNode(" · "));
        var link = el("a", null, g.url);
        link.href = g.url;
        meta.appendChild(link);
        sec.appendChild(meta);
        if (!g.doc || !h1) {
          sec.appendChild(el("p", "cb-notice", T.pack_failed + g.id));
        } else {
          n++;
          var crumb = g.doc.querySelector(".cb-case-head .cb-breadcrumb");
          if (crumb) sec.appendChild(el("p", "cb-pack__place", crumb.textContent.replace(/\s+/g, " ").trim()));
          [".cb-summary", ".cb-measures", ".cb-numbers", ".cb-sources", ".cb-cite"].forEach(function (sel) {
            var block = g.doc.querySelector(sel);
            if (!block) return;
            var head2 = block.previousElementSibling;
            if (head2 && head2.tagName === "H2") {
              var h3 = el("h3", "cb-pack__section", head2.firstChild ? head2.firstChild.textContent.trim() : "");
              sec.appendChild(h3);
            }
            sec.appendChild(adopt(block, g.url));
          });
        }
        holder.appendChild(sec);
      });
      toc.hidden = false;
      printBtn.hidden = false;
      status.textContent = fill(T.pack_ready, n);
      root.setAttribute("data-cb-state", "done");
    });
  }

  // A block of a fetched case page, made fit for the pack: links absolute, ids dropped (they repeat
  // from case to case), copy buttons and status lines removed, the citation's address filled in.
  function adopt(block, pageUrl) {
    var node = document.importNode(block, true);
    var drop = node.querySelectorAll("button, .cb-copied, script");
    for (var i = 0; i < drop.length; i++) drop[i].remove();
    var all = node.querySelectorAll("[id]");
    for (var j = 0; j < all.length; j++) all[j].removeAttribute("id");
    var links = node.querySelectorAll("a[href]");
    for (var k = 0; k < links.length; k++) links[k].href = new URL(links[k].getAttribute("href"), pageUrl).href;
    var u = node.querySelector(".cb-url");
    if (u) u.textContent = pageUrl;
    var d = node.querySelector(".cb-accessed");
    if (d) d.textContent = today();
    return node;
  }
})();
