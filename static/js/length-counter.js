/* Says how much room a field has left, instead of letting the browser cut the text.
 *
 * Fields with data-maxlength (set by the server in place of maxlength, which makes
 * browsers drop pasted text silently) get a counter below them. Going past the limit
 * never removes anything: the counter says how much too long the text is, and the server
 * refuses to save it with the same message, keeping what was typed. The counter shows
 * once the field has been used, or when it is near its limit, and then stays: hiding it
 * again on blur would move what is below while someone clicks there. Screen readers
 * hear it only when the text comes near the limit and when it passes it.
 * The words come from #length-counter-text, which the page writes in its language.
 */
(function () {
  "use strict";

  function words() {
    var holder = document.getElementById("length-counter-text");
    return holder ? holder.dataset : null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function attach(field, text, format) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!limit) return;
    var counter = document.createElement("div");
    counter.className = "form-text char-count";
    counter.id = (field.id || field.name) + "-count";
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", spoken);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var state = "";
    var used = false;

    function update() {
      var length = field.value.length;
      var values = { count: format(length), limit: format(limit), over: format(length - limit) };
      var now = length > limit ? "over" : length >= limit * 0.9 ? "near" : "ok";
      counter.textContent = fill(now === "over" ? text.over : text.count, values);
      counter.classList.toggle("char-count-over", now === "over");
      // Out of the way until the field is used or near its limit; then it stays put.
      used = used || document.activeElement === field;
      counter.hidden = now === "ok" && !used;
      // Mark the field while it is too long, without hiding the server's own errors.
      if (now === "over") {
        field.classList.add("is-invalid");
      } else if (state === "over") {
        field.classList.remove("is-invalid");
      }
      if (now !== state) {
        spoken.textContent = now === "ok" ? "" : counter.textContent;
        state = now;
      }
    }
    field.addEventListener("input", update);
    field.addEventListener("focus", update);
    field.addEventListener("blur", update);
    update();
  }

  function attachAll(root) {
    var text = words();
    if (!text) return;
    var numbers = new Intl.NumberFormat(document.documentElement.lang || "sv");
    Array.prototype.forEach.call(root.querySelectorAll("[data-maxlength]"), function (field) {
      attach(field, text, numbers.format);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  // Fields added to a page later (a new action, say) are counted too.
  document.addEventListener("livskvalitet:added", function (event) { attachAll(event.detail); });
})();
