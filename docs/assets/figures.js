/* Casebook: figures views (casebook/figures.py, templates/figures.md.j2, _figures.j2). No network
   access; works from disk. The page holds the figures grouped by case (one <tbody> each, readable
   without script); here they become one flat table (the case and its place as the first two cells
   of every row) that can be sorted by a column (heading buttons, or the sort list on a phone),
   filtered to one indicator (its rows and its chart), and downloaded as CSV, made here in the
   browser. Record text is read with textContent and copied as nodes (cloneNode), never as HTML.
   The CSV follows docs-notes/escaping.md exactly as casebook.export.csv_text_cell does: one leading
   ' for a text cell starting with = + - @ TAB CR or '; numbers as they are; RFC 4180 quoting; UTF-8
   with BOM; CRLF.
   For other pages (the search page): CasebookFigures.enhance(block) on any block built with the
   same markup; CasebookFigures.csv(rows, numeric) for a table of your own. */
(function () {
  "use strict";

  function csvTextCell(text) {
    text = String(text);
    return /^[=+\-@\t\r']/.test(text) ? "'" + text : text;
  }
  function csvCell(value, numeric) {
    var s = numeric ? String(value) : csvTextCell(value);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  /* rows: arrays of cells; numeric[i] true for a column holding numbers (never given the '). */
  function csv(rows, numeric) {
    return "\ufeff" + rows.map(function (r) {
      return r.map(function (v, i) { return csvCell(v == null ? "" : v, numeric[i]); }).join(",");
    }).join("\r\n") + "\r\n";
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function attr(el, name) { return el.getAttribute(name) || ""; }
  /* a cell's text without the printed wording under a value (the CSV has a column of its own for it) */
  function cellText(td) {
    var text = "";
    each(td.childNodes, function (node) { if (node.nodeName !== "SMALL") text += node.textContent; });
    return text.replace(/\s+/g, " ").trim();
  }
  function printed(tr) {
    var shown = tr.cells[4].querySelector("small span"); /* the value cell, once flat */
    return shown ? shown.textContent.replace(/^“|”$/g, "") : attr(tr, "data-p");
  }

  /* one <tbody> per case → one flat <tbody>: case and place cells first, the case's source where the
     row has none */
  function flatten(table) {
    var head = table.tHead.rows[0];
    [attr(table, "data-place"), attr(table, "data-case")].forEach(function (label) {
      var th = document.createElement("th");
      th.scope = "col";
      th.setAttribute("data-k", "text");
      th.textContent = label;
      head.insertBefore(th, head.firstChild);
    });
    var flat = document.createElement("tbody");
    each(Array.prototype.slice.call(table.tBodies), function (group) {
      var heading = group.querySelector("tr.cb-fcase th");
      var link = heading.querySelector("a");
      var place = heading.querySelector(".cb-fplace");
      var source = heading.querySelector(".cb-fsrc");
      each(Array.prototype.slice.call(group.rows), function (tr) {
        if (tr.classList.contains("cb-fcase")) return;
        while (tr.cells.length < 5) tr.appendChild(document.createElement("td")); /* empty date, source */
        var caseCell = document.createElement("td");
        caseCell.appendChild(link.cloneNode(true));
        var placeCell = document.createElement("td");
        placeCell.textContent = place ? place.textContent : "";
        tr.insertBefore(placeCell, tr.firstChild);
        tr.insertBefore(caseCell, tr.firstChild);
        var sourceCell = tr.cells[6];
        if (source && !cellText(sourceCell)) {
          each(source.childNodes, function (node) { sourceCell.appendChild(node.cloneNode(true)); });
        }
        tr.setAttribute("data-c", attr(group, "data-c"));
        flat.appendChild(tr);
      });
      table.removeChild(group);
    });
    table.appendChild(flat);
    table.classList.add("cb-figtable--flat");
    return flat;
  }

  function enhance(block) {
    var tools = block.querySelector(".cb-figtools");
    var table = block.querySelector("table.cb-figtable");
    if (!tools || !table || block.getAttribute("data-cb-ready")) return;
    block.setAttribute("data-cb-ready", "1");
    var body = flatten(table);
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (tr, k) { tr.cbOrder = k; });
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var labels = heads.map(function (th) { return th.textContent.trim(); });
    var filter = tools.querySelector(".cb-figtools__filter");
    var sortList = tools.querySelector(".cb-figtools__sort");
    var shown = tools.querySelector(".cb-figtools__shown");
    var lang = document.documentElement.lang || "zh";
    var collator = new Intl.Collator(lang === "en" ? "en" : "zh-Hans-CN", { numeric: true });
    var pattern = attr(tools, "data-option") || "{col} ({dir})";
    var state = { col: -1, dir: 1 };

    heads.forEach(function (th, i) {
      var kind = th.getAttribute("data-k");
      if (!kind) return;
      var first = kind === "text" ? 1 : -1; /* text A→Z first; numbers and dates largest and newest first */
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cb-sort";
      button.textContent = labels[i];
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(i, state.col === i ? -state.dir : first); });
      [first, -first].forEach(function (dir) {
        var option = document.createElement("option");
        option.value = i + ":" + dir;
        option.textContent = pattern.replace("{col}", labels[i]).replace("{dir}", attr(tools, dir > 0 ? "data-asc" : "data-desc"));
        sortList.appendChild(option);
      });
    });

    function key(tr, i) {
      var kind = heads[i].getAttribute("data-k");
      if (kind === "v") {
        var v = tr.getAttribute("data-v");
        return v === null ? null : parseFloat(v);
      }
      if (kind === "d") return tr.getAttribute("data-d");
      var text = cellText(tr.cells[i]);
      return text === "" ? null : text;
    }
    function sortBy(i, dir) {
      state.col = i;
      state.dir = dir;
      var ordered = rows.slice();
      ordered.sort(function (a, b) {
        if (i < 0) return a.cbOrder - b.cbOrder;
        var x = key(a, i), y = key(b, i);
        if (x === null || y === null) {
          if (x === y) return a.cbOrder - b.cbOrder;
          return x === null ? 1 : -1; /* empty cells last, either way */
        }
        var c = typeof x === "number" ? x - y : collator.compare(x, y);
        return c !== 0 ? dir * c : a.cbOrder - b.cbOrder;
      });
      ordered.forEach(function (tr) { body.appendChild(tr); });
      heads.forEach(function (th, k) {
        if (k === i) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      sortList.value = i >= 0 ? i + ":" + dir : "";
    }
    sortList.addEventListener("change", function () {
      var v = sortList.value.split(":");
      sortBy(v[0] ? parseInt(v[0], 10) : -1, v[0] ? parseInt(v[1], 10) : 1);
    });

    function applyFilter() {
      var want = filter.value;
      var n = 0;
      rows.forEach(function (tr) {
        tr.hidden = !(want === "*" || attr(tr, "data-i") === want);
        if (!tr.hidden) n += 1;
      });
      each((block.closest("article") || document).querySelectorAll(".cb-chart[data-i]"), function (figure) {
        figure.hidden = !(want === "*" || figure.getAttribute("data-i") === want);
      });
      shown.textContent = attr(tools, "data-shown").replace("{n}", n).replace("{total}", rows.length);
    }
    filter.addEventListener("change", applyFilter);

    tools.querySelector(".cb-figtools__csv").addEventListener("click", function () {
      /* the columns shown, with the case id after the case and, after the value, the number, a
         range's upper end, the unit and the printed wording */
      var extra = attr(table, "data-csv-extra").split("|");
      var header = labels.slice();
      header.splice(1, 0, extra[0]);
      header.splice(6, 0, extra[1], extra[2], extra[3], extra[4]);
      var numeric = header.map(function (h, i) { return i === 6 || i === 7; });
      var out = [header];
      each(body.rows, function (tr) {
        if (tr.hidden) return;
        var cells = Array.prototype.map.call(tr.cells, cellText);
        cells.splice(1, 0, attr(tr, "data-c"));
        cells.splice(6, 0, attr(tr, "data-v"), attr(tr, "data-h"), attr(tr, "data-u"), printed(tr));
        out.push(cells);
      });
      download(csv(out, numeric), attr(tools, "data-name") || "figures.csv");
    });

    tools.hidden = false;
    applyFilter();
  }

  function download(text, name) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  window.CasebookFigures = { enhance: enhance, csv: csv, csvTextCell: csvTextCell, csvCell: csvCell };
  each(document.querySelectorAll(".cb-figview"), enhance);
})();
