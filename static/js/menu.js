/* The main menu, folded behind its button on a narrow screen: Escape closes it when it is
 * open and gives the focus back to the button, as for any menu that opens over the page.
 */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.getElementById("main-menu");
    if (!menu || !menu.classList.contains("show") || !window.bootstrap) return;
    var button = document.querySelector('[data-bs-target="#main-menu"]');
    window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
    if (button && (menu.contains(document.activeElement) || document.activeElement === button)) {
      button.focus();
    }
  });
})();
