// The proposal editor: add citation rows, and insert markers at the cursor.
(function () {
  "use strict";
  var form = document.querySelector(".proposal-form");
  if (!form) { return; }
  var body = document.getElementById("id_body");
  var template = document.getElementById("citation-empty-form");
  var container = document.getElementById("citation-forms");
  var total = document.getElementById("id_citations-TOTAL_FORMS");

  function insertAtCursor(text) {
    if (!body) { return; }
    var start = body.selectionStart, end = body.selectionEnd;
    body.value = body.value.slice(0, start) + text + body.value.slice(end);
    body.selectionStart = body.selectionEnd = start + text.length;
    body.focus();
    // Let django-markdownx refresh the preview as if the fan had typed it.
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function highestKey() {
    var keys = Array.prototype.map.call(
      container.querySelectorAll("input[name$='-key']"),
      function (input) { return parseInt(input.value, 10) || 0; }
    );
    return keys.length ? Math.max.apply(null, keys) : 0;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.hasAttribute("data-insert-text")) {
      insertAtCursor(button.getAttribute("data-insert-text"));
    } else if (button.hasAttribute("data-insert-marker")) {
      var row = button.closest(".citation-form");
      var key = row.querySelector("input[name$='-key']").value;
      insertAtCursor("[@" + key + "]");
    } else if (button.id === "add-citation" && template && total) {
      var index = parseInt(total.value, 10);
      var key = highestKey() + 1;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = container.lastElementChild;
      added.setAttribute("data-citation-key", String(key));
      added.querySelector("input[name$='-key']").value = String(key);
      added.querySelector(".citation-key").textContent = String(key);
      added.querySelector(".citation-marker").textContent = "[@" + key + "]";
      var first = added.querySelector("select, input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    }
  });
}());
