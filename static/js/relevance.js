/* "Not relevant for us": the reason is asked only when the box is ticked. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("id_not_relevant");
  var reason = document.getElementById("div_id_not_relevant_reason");
  if (!box || !reason) return;
  function update() {
    reason.hidden = !box.checked && !document.getElementById("id_not_relevant_reason").value;
  }
  box.addEventListener("change", update);
  update();
});
