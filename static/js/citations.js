// "Add another citation": clone the formset's empty form and bump TOTAL_FORMS.
(function () {
  "use strict";
  var button = document.getElementById("add-citation");
  var template = document.getElementById("citation-empty-form");
  var container = document.getElementById("citation-forms");
  var total = document.getElementById("id_citations-TOTAL_FORMS");
  if (!button || !template || !container || !total) { return; }
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace("Citation new", "Citation " + (index + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = container.lastElementChild;
    var first = added && added.querySelector("select, input, textarea");
    if (first) { first.focus(); }
  });
}());
