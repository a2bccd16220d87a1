/* Print header and meeting pack (issue 15 §6; docs-notes/print.md).
 *
 * Every page: a header shown only in print (archive name, address, record id, date printed).
 * Listings and search results: tick boxes, the choice in localStorage (at most 30), a pack bar.
 * The pack page (search/pack.html, ?ids=a,b,c) loads each case page in a hidden frame
 * (#cb-pack-<token>); there this script answers with the pieces the pack needs as plain data by
 * postMessage, which works from disk (file://) and from a server alike. The pack takes an answer
 * only from its own frame with that frame's token and rebuilds it from allowed tags and attributes.
 * Text is set as text; nothing goes through innerHTML or an HTML parser.
 */
(function () {
  "use strict";
  var framed = /^#cb-pack-(\w{8,64})$/.exec(location.hash);
  if (framed && window.parent !== window) { answer(framed[1]); return; }
  var UI = window.cbPackUi;
  if (!UI) return;
  var lang = (document.documentElement.getAttribute("lang") || "zh").slice(0, 2) === "en" ? "en" : "zh";
  var T = UI[lang];
  var MAX = UI.max || 30;
  var KEY = "cb-pack";
  var CASE_RE = /\/cases\/([^\/?#]+)\.html$/;
  // what the pack keeps of a frame's answer (build); no ids: they would repeat from case to case
  var TAGS = /^(a|abbr|b|bdi|blockquote|br|caption|cite|code|col|colgroup|dd|div|dl|dt|em|footer|h[3-6]|i|li|ol|p|q|section|small|span|strong|sub|sup|table|tbody|td|tfoot|th|thead|time|tr|ul)$/;
  var ATTRS = ["class", "lang", "dir", "title", "scope", "colspan", "rowspan", "datetime"];

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
  var packPage = document.getElementById("cb-pack");
  var head = el("div", "cb-printhead");
  head.setAttribute("aria-hidden", "true");
  function fillHead() {
    head.textContent = "";
    head.appendChild(el("strong", "cb-printhead__name", T.archive_name));
    var id = document.querySelector(".cb-case-head") ? caseId(location.pathname) : null;
    if (id) head.appendChild(el("span", "cb-printhead__id", T.print_record_id + (lang === "zh" ? "：" : ": ") + id));
    head.appendChild(el("span", "cb-printhead__date", T.print_date + (lang === "zh" ? "：" : ": ") + today()));
    // the pack's own address without its list of ids (each case gives its address)
    head.appendChild(el("span", "cb-printhead__url", location.href.split(packPage ? /[?#]/ : "#")[0]));
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

  // --- a case page framed by the pack: answers its parent's request with the frame's token ---
  // (on a server only a parent of the same origin gets it; from disk there is no origin to name)
  function answer(token) {
    window.addEventListener("message", function (e) {
      if (e.source !== window.parent || !e.data || e.data.cbPack !== token) return;
      var h1 = document.querySelector(".cb-case-head h1");
      var crumb = document.querySelector(".cb-case-head .cb-breadcrumb");
      var parts = [];
      if (h1) [".cb-summary", ".cb-measures", ".cb-numbers", ".cb-sources", ".cb-cite"].forEach(function (sel) {
        var block = document.querySelector(sel);
        if (!block) return;
        var h = block.previousElementSibling;
        parts.push({ head: h && h.tagName === "H2" && h.firstChild ? h.firstChild.textContent.trim() : "", tree: tree(block) });
      });
      window.parent.postMessage({
        cbPack: token, title: h1 ? h1.textContent.trim() : "", lang: h1 && h1.getAttribute("lang") || "",
        place: crumb ? crumb.textContent.replace(/\s+/g, " ").trim() : "", parts: parts
      }, /^https?:$/.test(location.protocol) ? location.origin : "*");
    });
  }
  // an element as data: [tag, {attributes}, [children]], text as strings, links absolute
  function tree(n) {
    if (n.nodeType === 3) return n.nodeValue;
    if (n.nodeType !== 1 || n.matches("button, script, style, .cb-copied")) return "";
    var attrs = {}, kids = [];
    for (var i = 0; i < n.attributes.length; i++) attrs[n.attributes[i].name] = n.attributes[i].value;
    if (n.tagName === "A") attrs.href = n.href;
    for (var c = n.firstChild; c; c = c.nextSibling) kids.push(tree(c));
    return [n.tagName.toLowerCase(), attrs, kids];
  }

  // --- the pack page -------------------------------------------------------------------------
  // an answer back into elements: allowed tags (others give their content only) and attributes
  function build(t, depth) {
    if (typeof t === "string") return document.createTextNode(t);
    var frag = document.createDocumentFragment();
    if (!Array.isArray(t) || depth > 40) return frag;
    var e = typeof t[0] === "string" && TAGS.test(t[0]) ? document.createElement(t[0]) : frag;
    var a = t[1] && typeof t[1] === "object" ? t[1] : {};
    if (e !== frag) ATTRS.forEach(function (k) { if (typeof a[k] === "string") e.setAttribute(k, a[k]); });
    if (t[0] === "a" && typeof a.href === "string" && /^(https?|file):/i.test(a.href)) e.setAttribute("href", a.href);
    (Array.isArray(t[2]) ? t[2] : []).forEach(function (c) { e.appendChild(build(c, depth + 1)); });
    return e;
  }

  function buildPack(root) {
    var status = document.getElementById("cb-pack-status");
    var toc = document.getElementById("cb-pack-toc");
    var list = toc.querySelector("ol");
    var holder = document.getElementById("cb-pack-cases");
    var printBtn = document.getElementById("cb-pack-print");
    printBtn.addEventListener("click", function () { window.print(); });
    var param = new URLSearchParams(location.search).get("ids");
    var ids = (param ? param.split(",") : load()).map(function (s) { return s.trim(); })
      .filter(function (s, i, all) { return /^[\w-]{1,120}$/.test(s) && all.indexOf(s) === i; }).slice(0, MAX);
    if (!ids.length) { status.textContent = T.pack_empty; return; }
    status.textContent = T.pack_loading;
    var base = new URL("../cases/", location.href);
    var to = /^https?:$/.test(location.protocol) ? location.origin : "*";
    var salt = Math.random().toString(36).slice(2) + Date.now().toString(36);
    var n = 0, left = ids.length, next = 0, busy = 0;
    var jobs = ids.map(function (id, i) {
      var j = { id: id, n: i + 1, token: salt + "x" + i, url: new URL(id + ".html", base).href };
      j.sec = el("section", "cb-pack__case");
      j.sec.id = "pack-" + j.n;
      j.h = el("h2", "cb-pack__title", j.n + ". " + id);
      j.sec.appendChild(j.h);
      var li = el("li");
      j.a = el("a", null, id);
      j.a.href = "#" + j.sec.id;
      li.appendChild(j.a);
      list.appendChild(li);
      var meta = el("p", "cb-pack__meta");
      meta.appendChild(el("span", null, T.print_record_id + (lang === "zh" ? "：" : ": ") + id));
      meta.appendChild(document.createTextNode(" · "));
      var link = el("a", null, j.url);
      link.href = j.url;
      meta.appendChild(link);
      j.sec.appendChild(meta);
      holder.appendChild(j.sec);
      return j;
    });
    toc.hidden = false;
    window.addEventListener("message", function (e) {
      for (var k = 0; k < jobs.length; k++) {
        if (jobs[k].frame && e.source === jobs[k].frame.contentWindow) return got(jobs[k], e.data);
      }
    });
    function open(j) {
      busy++;
      var f = j.frame = el("iframe");
      f.hidden = true;
      f.addEventListener("load", function () {
        if (!j.frame) return;
        f.contentWindow.postMessage({ cbPack: j.token }, to);
        // no answer (missing, not a case page): a notice, not dropped; a late answer still fills in
        if (!j.timer) j.timer = setTimeout(function () { settle(j); }, 3000);
      });
      f.src = j.url + "#cb-pack-" + j.token;
      document.body.appendChild(f);
    }
    function got(j, d) {
      if (!d || d.cbPack !== j.token || typeof d.title !== "string" || !d.title || !Array.isArray(d.parts)) return;
      j.frame.remove();
      j.frame = null;
      if (j.notice) j.notice.remove();
      n++;
      j.h.textContent = j.n + ". " + d.title;
      if (typeof d.lang === "string" && /^[\w-]{1,20}$/.test(d.lang)) j.h.setAttribute("lang", d.lang);
      j.a.textContent = d.title;
      if (typeof d.place === "string" && d.place) j.sec.appendChild(el("p", "cb-pack__place", d.place));
      d.parts.forEach(function (p) {
        if (!p || typeof p !== "object") return;
        if (typeof p.head === "string" && p.head) j.sec.appendChild(el("h3", "cb-pack__section", p.head));
        var block = build(p.tree, 0);
        var u = block.querySelector && block.querySelector(".cb-url");
        if (u) u.textContent = j.url;
        var d2 = block.querySelector && block.querySelector(".cb-accessed");
        if (d2) d2.textContent = today();
        j.sec.appendChild(block);
      });
      settle(j);
    }
    function settle(j) {
      if (j.frame && !j.notice) j.notice = j.sec.appendChild(el("p", "cb-notice", T.pack_failed + j.id));
      if (!j.done) { j.done = true; busy--; left--; start(); }
      if (!left) {
        printBtn.hidden = false;
        status.textContent = fill(T.pack_ready, n);
        root.setAttribute("data-cb-state", "done");
      }
    }
    function start() { while (busy < 4 && next < jobs.length) open(jobs[next++]); }
    start();
  }
})();
