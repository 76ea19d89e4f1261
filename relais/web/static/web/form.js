/*
 * Case-sheet form: "Ajouter" buttons of the formsets clone the row <template> and bump TOTAL_FORMS.
 * Without JavaScript the buttons stay hidden and the extra empty rows sent by the server are used instead.
 * The error summary, when present, receives focus so that screen-reader users hear it first.
 */
(function () {
  "use strict";

  function addRow(container) {
    var prefix = container.getAttribute("data-formset-prefix");
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = container.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var template = container.querySelector("template[data-formset-template]");
    var items = container.querySelector("[data-formset-items]");
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    items.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.querySelectorAll("[data-formset-prefix]").forEach(function (container) {
    var button = container.querySelector("[data-formset-add]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () { addRow(container); });
  });

  var summary = document.getElementById("form-errors");
  if (summary) summary.focus();
})();
