/* Casebook: copy a citation line to the clipboard. No network access. */
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button.cb-copy");
  if (!button) return;
  var text = button.getAttribute("data-copy") || "";
  var done = function () {
    var label = button.textContent;
    button.textContent = "✓";
    setTimeout(function () { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () {});
  } else {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) {}
    document.body.removeChild(area);
  }
});
