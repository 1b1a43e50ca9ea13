/* Asks before leaving a page whose form holds changes that were not sent.
 *
 * Forms with data-keep-typed or data-warn-unsaved hold long texts. Once something is
 * typed in one, leaving the page any other way than by sending that form (a link, another
 * form on the page such as the message form, closing the tab) makes the browser ask
 * first, in its own words and language. Sending the form itself never asks.
 */
(function () {
  "use strict";
  var changed = [];

  function watch(form) {
    var entry = { form: form, dirty: false };
    changed.push(entry);
    form.addEventListener("input", function () { entry.dirty = true; });
    form.addEventListener("change", function () { entry.dirty = true; });
    form.addEventListener("submit", function () { entry.dirty = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-keep-typed], form[data-warn-unsaved]");
    Array.prototype.forEach.call(forms, watch);
  });

  window.addEventListener("beforeunload", function (event) {
    var unsent = changed.some(function (entry) { return entry.dirty; });
    if (!unsent) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when this is set
  });
})();
