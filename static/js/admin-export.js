/* The export page's "select all" box, bound here rather than in an onchange attribute. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".select-toggle"), function (box) {
    box.addEventListener("change", function (event) {
      window.onSelectToggleChange(event);
    });
  });
});
