/* A table wider than the screen scrolls in its box (Bootstrap's .table-responsive); the
 * keyboard can scroll it only if the box can take the focus (WCAG 2.1.1). Each box that
 * overflows now, and only that one, becomes a region the Tab key reaches, named as its
 * table's caption or, lacking one, the heading above it; it is made so again when the
 * window changes size. Without this script the box still scrolls by touch and mouse.
 */
(function () {
  "use strict";

  function name(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var headings = document.querySelectorAll("h1, h2, h3");
    var found = "";
    Array.prototype.forEach.call(headings, function (heading) {
      if (heading.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = heading.textContent.trim();
      }
    });
    return found;
  }

  function mark() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-responsive"), function (box) {
      // A box the page itself made a region (with its own name) is left as it is.
      if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scrolls")) return;
      if (box.scrollWidth > box.clientWidth + 1) {
        if (box.hasAttribute("data-scrolls")) return;
        box.setAttribute("data-scrolls", "");
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name(box));
      } else if (box.hasAttribute("data-scrolls")) {
        box.removeAttribute("data-scrolls");
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  var waiting = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(mark, 150);
  });
})();
