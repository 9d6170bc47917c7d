// The editor's categories field: names already in use, suggested as you type the one
// under the cursor (entries are separated by commas or new lines).
(function () {
  "use strict";
  var field = document.getElementById("id_categories");
  var box = document.getElementById("category-suggestions");
  if (!field || !box) return;
  var url = box.dataset.url;
  var timer = null;
  var asked = "";

  function current() {
    var caret = field.selectionStart || 0;
    var text = field.value;
    var start = Math.max(text.lastIndexOf(",", caret - 1), text.lastIndexOf("\n", caret - 1)) + 1;
    var end = text.slice(caret).search(/[,\n]/);
    end = end === -1 ? text.length : caret + end;
    var raw = text.slice(start, end);
    var name = raw.split("|")[0].trim();
    return { start: start, end: end, name: name };
  }

  function hide() {
    box.hidden = true;
    box.textContent = "";
  }

  function choose(name) {
    var part = current();
    var text = field.value;
    var lead = part.start > 0 && text[part.start - 1] === "," ? " " : "";
    field.value = text.slice(0, part.start) + lead + name + text.slice(part.end);
    var caret = part.start + lead.length + name.length;
    field.focus();
    field.setSelectionRange(caret, caret);
    hide();
  }

  function show(names, typed) {
    box.textContent = "";
    names.forEach(function (name) {
      if (name.toLowerCase() === typed.toLowerCase()) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-secondary button-small";
      button.setAttribute("role", "option");
      button.textContent = name;
      button.addEventListener("click", function () { choose(name); });
      box.appendChild(button);
    });
    box.hidden = box.children.length === 0;
  }

  function ask() {
    var typed = current().name;
    if (typed.length < 1) { hide(); return; }
    if (typed === asked) return;
    asked = typed;
    fetch(url + "?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { names: [] }; })
      .then(function (data) { if (typed === current().name) show(data.names || [], typed); })
      .catch(hide);
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    asked = "";
    timer = setTimeout(ask, 150);
  });
  field.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
    if (event.key === "ArrowDown" && !box.hidden) {
      event.preventDefault();
      box.querySelector("button").focus();
    }
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); field.focus(); }
  });
})();
