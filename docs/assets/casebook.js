/* Casebook: case-page helpers. No network access.
   - "Cite this case": the date cited (today, YYYY-MM-DD) and, where the page has no canonical address,
     the page's own address are filled in on load and again when the reader copies.
   - Copy buttons copy the citation text beside them and say "已复制"/"Copied" (a status region,
     announced by screen readers).
   - The phone contents menu closes when one of its links is followed. */
(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fill() {
    var d = new Date();
    var today = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    var here = location.href.split("#")[0];
    document.querySelectorAll(".cb-accessed").forEach(function (el) { el.textContent = today; });
    document.querySelectorAll(".cb-url").forEach(function (el) { el.textContent = here; });
  }
  fill();
  var timer;
  function done(button) {
    var status = document.querySelector(".cb-copied");
    var word = status ? status.getAttribute("data-done") : "✓";
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = word;
    if (status) {
      status.textContent = "";
      setTimeout(function () { status.textContent = word; }, 50);
    }
    clearTimeout(timer);
    timer = setTimeout(function () {
      button.textContent = label;
      if (status) status.textContent = "";
    }, 2000);
  }
  function copy(text, button) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(button); }, function () { fallback(text, button); });
    } else {
      fallback(text, button);
    }
  }
  function fallback(text, button) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) done(button); } catch (e) {}
    document.body.removeChild(area);
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var button = target.closest("button.cb-copy");
    if (button) {
      fill();
      var code = button.parentNode.querySelector(".cb-citation__text");
      if (code) copy(code.textContent.replace(/\s+/g, " ").trim(), button);
      return;
    }
    var link = target.closest(".cb-toc a");
    if (link) {
      var menu = link.closest("details");
      if (menu) menu.open = false;
    }
  });
})();
