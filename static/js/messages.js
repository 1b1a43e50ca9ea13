/* Takes the keyboard's focus to the messages at the top of a page (templates/base.html),
 * such as "Utkastet är sparat." after a form was sent: a screen reader says a message
 * that is there as the page loads only where the focus goes, and the keyboard goes on
 * from it. Only when the page has such a message and nothing else has the focus or asks
 * for it: the error summary (autofocus), keep-typed.js's notice.
 * A page whose address leads to a section (#collaboration) shows that section's message
 * in it (templates/_messages.html, the message's place): that message takes the focus, so
 * the keyboard goes on into the section; without one there, the focus is left alone.
 */
(function () {
  "use strict";

  function free() {
    if (document.querySelector("[autofocus]")) return false;
    return !document.activeElement || document.activeElement === document.body;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash) {
      var place = CSS.escape(decodeURIComponent(window.location.hash.slice(1)));
      var message = document.querySelector('[data-message-place="' + place + '"]');
      if (!message) return;
      // The browser lands on the section once the page is laid out, and takes the focus
      // away from anything then (Chromium): the message takes it after that.
      window.addEventListener("load", function () {
        window.requestAnimationFrame(function () {
          if (free()) message.focus();
        });
      });
      return;
    }
    var region = document.querySelector("[data-messages]");
    if (!region || !region.children.length || !free()) return;
    region.focus();
  });
})();
