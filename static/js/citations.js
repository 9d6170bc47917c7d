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

  var settingsNode = document.getElementById("source-kinds");
  var settings = settingsNode ? JSON.parse(settingsNode.textContent) : null;
  var OPTIONAL = ["url", "archive_url", "author", "publisher", "published_date"];

  // Show the fields and the locator wording that fit the row's kind of source:
  // the chosen existing source's kind, or the kind picked for a new one.
  function adapt(row) {
    if (!settings) { return; }
    var chosen = row.querySelector("select[name$='-source']");
    var kindSelect = row.querySelector("select[name$='-kind']");
    var kind = (chosen && chosen.value && settings.sourceKinds[chosen.value]) ||
      (kindSelect && kindSelect.value) || "web";
    var config = settings.kinds[kind] || settings.kinds.web;
    OPTIONAL.forEach(function (name) {
      var wrap = row.querySelector(".field-" + name);
      if (wrap) { wrap.hidden = config.fields.indexOf(name) === -1; }
    });
    ["publisher", "author"].forEach(function (name) {
      var label = row.querySelector(".field-" + name + " label");
      if (!label) { return; }
      if (!label.hasAttribute("data-default")) { label.setAttribute("data-default", label.textContent); }
      label.textContent = config.labels[name] || label.getAttribute("data-default");
    });
    var locatorLabel = row.querySelector(".field-locator label");
    var locator = row.querySelector("input[name$='-locator']");
    if (locatorLabel) { locatorLabel.textContent = config.locator[0]; }
    if (locator) { locator.placeholder = config.locator[1]; }
  }

  Array.prototype.forEach.call(container.querySelectorAll(".citation-form"), adapt);
  form.addEventListener("change", function (event) {
    var row = event.target.closest(".citation-form");
    if (row && event.target.matches("select")) { adapt(row); }
  });

  function highestKey() {
    var keys = Array.prototype.map.call(
      container.querySelectorAll("input[name$='-key']"),
      function (input) { return parseInt(input.value, 10) || 0; }
    );
    return keys.length ? Math.max.apply(null, keys) : 0;
  }

  // Images: picked with the button, or dropped on the editor (django-markdownx
  // uploads those). Either way the fan is asked to describe the image: the
  // placeholder alt text is selected, ready to be typed over.
  var PLACEHOLDER = "describe the image";
  var status = document.getElementById("upload-status");

  function selectPlaceholder() {
    var at = body.value.indexOf("![" + PLACEHOLDER + "]");
    if (at < 0) { return; }
    body.focus();
    body.selectionStart = at + 2;
    body.selectionEnd = at + 2 + PLACEHOLDER.length;
  }

  function csrfToken() {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  var picker = document.getElementById("image-pick");
  if (picker && body) {
    picker.addEventListener("change", function () {
      var file = picker.files && picker.files[0];
      if (!file) { return; }
      var data = new FormData();
      data.append("image", file);
      data.append("csrfmiddlewaretoken", csrfToken());
      status.textContent = "Uploading " + file.name + "…";
      fetch(picker.closest("[data-upload-url]").getAttribute("data-upload-url"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"X-Requested-With": "XMLHttpRequest"}
      }).then(function (response) {
        return response.json().then(function (json) { return {ok: response.ok, json: json}; });
      }).then(function (result) {
        if (!result.ok || !result.json.image_code) {
          var errors = (result.json.image || [result.json.error || "The upload failed."]);
          status.textContent = errors.join(" ");
          return;
        }
        var code = result.json.image_code.replace("![]", "![" + PLACEHOLDER + "]");
        insertAtCursor("\n" + code + "\n");
        selectPlaceholder();
        status.textContent = "Image added: now describe it for readers who cannot see it.";
      }).catch(function () {
        status.textContent = "The upload failed; check your connection and try again.";
      });
      picker.value = "";
    });
  }

  var editor = body && body.closest(".markdownx");
  if (editor) {
    editor.addEventListener("markdownx.fileUploadEnd", function () {
      body.value = body.value.replace(/!\[\]\((\/media\/[^)\s]+)\)/g, "![" + PLACEHOLDER + "]($1)");
      selectPlaceholder();
      if (status) { status.textContent = "Image added: now describe it for readers who cannot see it."; }
    });
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
      adapt(added);
      var first = added.querySelector("select, input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    }
  });
}());
