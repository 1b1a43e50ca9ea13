/* Inserts the citation chosen in the picker (templates/reporting/_cite_picker.html) at the
 * cursor of the text it belongs to. Without JavaScript the picker still shows each
 * contribution's citation, [#number], to be typed; the server checks it when saving.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-cite-picker]").forEach(function (picker) {
    var field = document.getElementById(picker.getAttribute("data-cite-picker"));
    var choice = picker.querySelector("select");
    var button = picker.querySelector("button");
    if (!field || !choice || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var start = field.selectionStart, end = field.selectionEnd;
      var before = field.value.slice(0, start);
      var marker = (before && !/\s$/.test(before) ? " " : "") + choice.value;
      field.setRangeText(marker, start, end, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
  });
})();
