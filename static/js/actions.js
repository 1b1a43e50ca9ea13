/* Adding and removing actions in the contribution form without saving first.
 *
 * Without this script the form still works: "Add another action" saves the draft and
 * brings an empty action, and an action is removed by ticking "Remove this action when
 * saving". A saved action shows as a summary until its "Change" button saves the draft
 * and opens it (with this script as without).
 *
 * The form's address says how many new actions it holds (?nya=N), so that the page it
 * comes back as has room for them: after a login (keep-typed.js puts the text back).
 */
(function () {
  "use strict";

  function total(form) {
    return form.querySelector('input[name$="-TOTAL_FORMS"]');
  }

  function countNew(form) {
    var saved = parseInt(form.querySelector('input[name$="-INITIAL_FORMS"]').value, 10);
    var address = new URL(form.action, window.location.href);
    address.searchParams.set("nya", String(parseInt(total(form).value, 10) - saved));
    form.action = address.pathname + address.search;
  }

  function hideRemoved(action) {
    var box = action.querySelector('input[name$="-DELETE"]');
    if (!box) return;
    var undo = document.createElement("p");
    undo.className = "removed-action alert alert-secondary py-2";
    undo.hidden = true;
    undo.setAttribute("role", "status");
    var text = document.createElement("span");
    var again = document.createElement("button");
    again.type = "button";
    again.className = "btn btn-link btn-sm";
    undo.appendChild(text);
    undo.appendChild(again);
    action.insertAdjacentElement("afterend", undo);
    var words = document.getElementById("actions-text").dataset;

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-danger btn-sm align-self-start";
    // Numbered as "Change action 2" is: a list of the buttons shows them out of their action.
    var number = action.id.replace("insats-", "");
    button.textContent = words.remove.replace("{number}", number);
    box.closest(".remove-action").hidden = true;
    (action.querySelector("[data-action-buttons]") || action).appendChild(button);

    button.addEventListener("click", function () {
      box.checked = true;
      action.hidden = true;
      var title = action.querySelector('input[name$="-title"]');
      text.textContent = words.removed.replace("{title}", title ? title.value : action.dataset.title || "");
      again.textContent = words.undo.replace("{number}", number);
      undo.hidden = false;
      again.focus();
    });
    again.addEventListener("click", function () {
      box.checked = false;
      action.hidden = false;
      undo.hidden = true;
      button.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.querySelector("[data-actions]");
    var template = document.getElementById("new-action-template");
    var add = document.querySelector("[data-add-action]");
    if (!container || !template || !add) return;
    var form = container.closest("form");
    Array.prototype.forEach.call(container.querySelectorAll("[data-action]"), hideRemoved);
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var count = total(form);
      var index = parseInt(count.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var action = holder.firstElementChild;
      container.appendChild(action);
      count.value = String(index + 1);
      countNew(form);
      hideRemoved(action);
      document.dispatchEvent(new CustomEvent("livskvalitet:added", { detail: action }));
      action.querySelector('input[name$="-title"]').focus();
    });
  });
})();
