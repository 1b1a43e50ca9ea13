/* The chart and figures of an indicator in the contribution form, fetched when its
   "chart and figures" is opened (reporting.views.contributions.contribution_indicator):
   the form is lighter for not carrying every chart. Without scripts, or if the fetch
   fails, the link in their place leads to the indicator's page in the statistics. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("details[data-figures]").forEach(function (details) {
    details.addEventListener("toggle", function () {
      var placeholder = details.querySelector("[data-figures-placeholder]");
      if (!details.open || !placeholder || details.hasAttribute("aria-busy")) return;
      details.setAttribute("aria-busy", "true");
      fetch(details.dataset.figures, { credentials: "same-origin" })
        .then(function (response) {
          // Redirected (to the login page, when the session has ended) or refused: not
          // the figures, so nothing of it goes into the form.
          if (!response.ok || response.redirected) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          placeholder.insertAdjacentHTML("afterend", html);
          placeholder.remove();
        })
        .catch(function () { /* the link stays */ })
        .finally(function () { details.removeAttribute("aria-busy"); });
    });
  });
});
