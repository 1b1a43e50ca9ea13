/* Takes the keyboard's focus to the messages at the top of a page (templates/base.html),
 * such as "Utkastet är sparat." after a form was sent: a screen reader says a message
 * that is there as the page loads only where the focus goes, and the keyboard goes on
 * from it. Only when the page has such a message and nothing else has the focus or asks
 * for it: the error summary (autofocus), keep-typed.js's notice, the section an address
 * leads to (#collaboration, with its own message there).
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var region = document.querySelector("[data-messages]");
    if (!region || !region.children.length) return;
    if (document.querySelector("[autofocus]") || window.location.hash) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    region.focus();
  });
})();
