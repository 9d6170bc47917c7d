// The proposal editor: add citation rows, pick their sources, and insert markers at the cursor.
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
    body.focus({ preventScroll: true });  // the writer stays where they were
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
    var chosen = row.querySelector("input[type=hidden][name$='-source']");
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

  // Source pickers: a search box over the autocomplete endpoint, in place of a menu of
  // every source. What it answers is inserted as text (textContent), never as HTML.
  var SEARCH_DELAY = 200;
  var MIN_LENGTH = 2;
  var pickerState = new WeakMap();

  function parts(picker) {
    return {
      hidden: picker.querySelector("input[type=hidden]"),
      input: picker.querySelector("input[type=search]"),
      list: picker.querySelector("[role=listbox]"),
      status: picker.querySelector(".source-status"),
      chosen: picker.querySelector(".source-chosen"),
      none: picker.querySelector(".source-none")
    };
  }

  function stateOf(picker) {
    if (!pickerState.has(picker)) {
      pickerState.set(picker, {timer: null, controller: null, results: [], active: -1});
    }
    return pickerState.get(picker);
  }

  // Without this script the picker shows the chosen source only; bring the search to life.
  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-source-picker]"), function (picker) {
      picker.querySelector(".source-search").hidden = false;
      picker.querySelector(".source-clear").hidden = false;
    });
  }

  function closeList(picker) {
    var p = parts(picker), state = stateOf(picker);
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
    state.active = -1;
  }

  function setActive(picker, index) {
    var p = parts(picker), state = stateOf(picker);
    var options = p.list.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    state.active = (index + options.length) % options.length;
    Array.prototype.forEach.call(options, function (option, n) {
      option.setAttribute("aria-selected", n === state.active ? "true" : "false");
    });
    var option = options[state.active];
    p.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({block: "nearest"});
  }

  function optionFor(source, id) {
    var option = document.createElement("li");
    option.id = id;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    var title = document.createElement("span");
    title.className = "source-option-title";
    title.textContent = source.title;
    var detail = document.createElement("span");
    detail.className = "source-option-detail";
    detail.textContent = [source.kind_label, source.publisher, source.author]
      .filter(function (text) { return text; }).join(" · ");
    option.appendChild(title);
    option.appendChild(detail);
    return option;
  }

  function showResults(picker, results) {
    var p = parts(picker), state = stateOf(picker);
    state.results = results;
    p.list.textContent = "";
    results.forEach(function (source, index) {
      p.list.appendChild(optionFor(source, p.list.id + "-" + index));
    });
    closeList(picker);
    if (!results.length) {
      p.status.textContent = "No source matches; describe a new source below.";
      return;
    }
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
    p.status.textContent = results.length + (results.length === 1 ? " source" : " sources") +
      " found: choose with the arrow keys and Enter, or click.";
  }

  function search(picker) {
    var p = parts(picker), state = stateOf(picker);
    var text = p.input.value.trim();
    if (state.controller) { state.controller.abort(); }
    state.controller = null;
    if (text.length < MIN_LENGTH) {
      closeList(picker);
      p.status.textContent = text ? "Type at least " + MIN_LENGTH + " characters." : "";
      return;
    }
    var controller = new AbortController();
    state.controller = controller;
    var url = picker.getAttribute("data-search-url") + "?q=" + encodeURIComponent(text);
    fetch(url, {
      credentials: "same-origin", signal: controller.signal,
      headers: {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) {
      return response.json().then(function (json) { return {ok: response.ok, json: json}; });
    }).then(function (result) {
      if (state.controller !== controller) { return; }  // a later search has replaced it
      if (!result.ok) {
        closeList(picker);
        p.status.textContent = result.json.error || "The search failed.";
        return;
      }
      showResults(picker, result.json.results || []);
    }).catch(function (error) {
      if (error.name === "AbortError" || state.controller !== controller) { return; }
      closeList(picker);
      p.status.textContent = "The search failed; check your connection and try again.";
    });
  }

  function choose(picker, source) {
    var p = parts(picker), state = stateOf(picker);
    clearTimeout(state.timer);
    if (state.controller) { state.controller.abort(); }
    state.controller = null;
    state.results = [];
    p.list.textContent = "";
    p.hidden.value = String(source.id);
    if (settings) { settings.sourceKinds[String(source.id)] = source.kind; }
    picker.querySelector(".source-chosen-title").textContent = source.title;
    picker.querySelector(".source-chosen-kind").textContent = "(" + source.kind_label + ")";
    p.chosen.hidden = false;
    p.none.hidden = true;
    p.input.value = "";
    closeList(picker);
    p.status.textContent = "Chosen: " + source.title + ".";
    var line = picker.closest(".citation-form").querySelector(".citation-line-source");
    if (line) { line.textContent = source.title; }
    adapt(picker.closest(".citation-form"));
    if (typeof syncPreview === "function") { syncPreview(); }
  }

  function clearChoice(picker) {
    var p = parts(picker);
    p.hidden.value = "";
    p.chosen.hidden = true;
    p.none.hidden = false;
    p.status.textContent = "No existing source chosen.";
    adapt(picker.closest(".citation-form"));
    if (typeof syncPreview === "function") { syncPreview(); }
    p.input.focus();
  }

  function pickerOf(node) {
    return node && node.closest ? node.closest("[data-source-picker]") : null;
  }

  form.addEventListener("input", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target.type !== "search") { return; }
    var state = stateOf(picker);
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { search(picker); }, SEARCH_DELAY);
  });

  form.addEventListener("keydown", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target.type !== "search") { return; }
    var state = stateOf(picker), list = parts(picker).list;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!state.results.length) { return; }
      var opening = list.hidden;
      if (opening) {
        list.hidden = false;
        event.target.setAttribute("aria-expanded", "true");
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive(picker, opening ? (step > 0 ? 0 : -1) : state.active + step);
    } else if (event.key === "Enter") {
      event.preventDefault();  // never submit the proposal from the search box
      if (!list.hidden && state.active >= 0) { choose(picker, state.results[state.active]); }
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      closeList(picker);
    }
  });

  // Keep the focus in the search box while an option is clicked.
  form.addEventListener("mousedown", function (event) {
    if (event.target.closest("[role=listbox]")) { event.preventDefault(); }
  });

  form.addEventListener("focusout", function (event) {
    var picker = pickerOf(event.target);
    if (picker && !picker.contains(event.relatedTarget)) { closeList(picker); }
  });

  enhance(container);

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

  // The preview numbers references as readers will see them: the preview address
  // carries each row's key and source (?cite=1:12,2:new&t2=<title of the new one>),
  // kept in step with the rows; django-markdownx reads it before every preview.
  var PREVIEW_ATTRIBUTE = "data-markdownx-urls-path";
  var previewBase = body && (body.getAttribute(PREVIEW_ATTRIBUTE) || "").split("?")[0];

  function citationRows() {
    var cite = [], params = new URLSearchParams();
    Array.prototype.forEach.call(container.querySelectorAll(".citation-form"), function (row) {
      var removed = row.querySelector("input[name$='-DELETE']");
      var key = row.querySelector("input[name$='-key']");
      if ((removed && removed.checked) || !key || !key.value) { return; }
      var chosen = row.querySelector("input[type=hidden][name$='-source']");
      if (chosen && chosen.value) {
        cite.push(key.value + ":" + chosen.value);
      } else {
        cite.push(key.value + ":new");
        var title = row.querySelector("input[name$='-title']");
        if (title && title.value) { params.set("t" + key.value, title.value.slice(0, 300)); }
      }
    });
    params.set("cite", cite.join(","));
    return params.toString();
  }

  var lastRows = null;
  function syncPreview() {
    if (!body || !previewBase) { return; }
    var rows = citationRows();
    if (rows === lastRows) { return; }
    lastRows = rows;
    body.setAttribute(PREVIEW_ATTRIBUTE, previewBase + "?" + rows);
    body.dispatchEvent(new Event("input", { bubbles: true }));  // preview again
  }
  syncPreview();
  form.addEventListener("change", syncPreview);
  container.addEventListener("input", function () {
    clearTimeout(syncPreview.timer);
    syncPreview.timer = setTimeout(syncPreview, 600);
  });

  // Reference numbers as readers see them: the preview says which key is which number
  // ("16:5,3:1"), and each citation row (and the Cite panel) shows it beside [@key].
  var readerNumbers = {};
  function showReaderNumbers() {
    Array.prototype.forEach.call(container.querySelectorAll(".citation-form"), function (row) {
      var key = row.querySelector("input[name$='-key']");
      var marker = row.querySelector(".citation-marker");
      if (!key || !marker) { return; }
      var shown = row.querySelector(".reader-number");
      if (!shown) {
        shown = document.createElement("span");
        shown.className = "reader-number";
        marker.after(shown);
      }
      var number = readerNumbers[key.value];
      shown.textContent = number ? " shown to readers as [" + number + "]" : " not in the text yet";
    });
  }
  var previewPane = form.querySelector(".markdownx-preview");
  if (previewPane && window.MutationObserver) {
    new MutationObserver(function () {
      var node = previewPane.querySelector(".reference-numbers");
      readerNumbers = {};
      if (node) {
        node.getAttribute("data-numbers").split(",").forEach(function (pair) {
          var parts = pair.split(":");
          if (parts.length === 2) { readerNumbers[parts[0]] = parts[1]; }
        });
      }
      showReaderNumbers();
    }).observe(previewPane, { childList: true, subtree: true });
  }

  // A new citation row, added at the end of the list (the page does not move to it).
  function addRow() {
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
    added.querySelector("[data-insert-marker]").textContent = "Insert [@" + key + "] in the text";
    enhance(added);
    adapt(added);
    return added;
  }

  // "Cite…" in the toolbar: a panel beside the text (it stays in view with the toolbar).
  // Paste a page's address and its title, publisher, author and date are looked up; or
  // find a source the wiki has; or cite again one this proposal cites. The citation's
  // row is added to the list below, its marker put at the cursor, and the writer goes on.
  var citeOpen = document.getElementById("cite-open");
  var citePanel = document.getElementById("cite-panel");
  var citeChoices = document.getElementById("cite-choices");
  var find = document.getElementById("cite-find");
  var found = document.getElementById("cite-found");
  var citeStatus = document.getElementById("cite-status");
  var newFields = document.getElementById("cite-source-fields");
  var citeAt = null;  // the cursor when the panel opened: clicking moves the focus away
  var picked = null;  // {existing: source} or {url: address} for a new web source
  var lookupTimer = null, lookupController = null;

  function field(id) { return document.getElementById(id); }

  function describe(row) {
    var source = row.querySelector(".citation-line-source");
    var quote = row.querySelector("[name$='-quote']");
    var locator = row.querySelector("[name$='-locator']");
    var details = [];
    if (locator && locator.value) { details.push(locator.value); }
    if (quote && quote.value) {
      details.push("“" + quote.value.slice(0, 60) + (quote.value.length > 60 ? "…”" : "”"));
    }
    return (source ? source.textContent : "") + (details.length ? " · " + details.join(" · ") : "");
  }

  function listCitations() {
    citeChoices.textContent = "";
    Array.prototype.forEach.call(container.querySelectorAll(".citation-form"), function (row) {
      var key = row.querySelector("input[name$='-key']");
      var removed = row.querySelector("input[name$='-DELETE']");
      if (!key || !key.value || (removed && removed.checked)) { return; }
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button cite-choice";
      button.setAttribute("data-cite-key", key.value);
      var number = readerNumbers[key.value];
      var marker = document.createElement("code");
      marker.textContent = "[@" + key.value + "]";
      button.appendChild(marker);
      button.appendChild(document.createTextNode(
        (number ? " (readers see [" + number + "])" : "") + " " + describe(row)));
      item.appendChild(button);
      citeChoices.appendChild(item);
    });
    citeChoices.parentNode.hidden = !citeChoices.children.length;
  }

  function resetNew() {
    picked = null;
    find.value = "";
    found.hidden = true;
    found.textContent = "";
    find.setAttribute("aria-expanded", "false");
    newFields.hidden = true;
    ["cite-title", "cite-publisher", "cite-author", "cite-date", "cite-quote", "cite-locator"]
      .forEach(function (id) { field(id).value = ""; });
    citeStatus.textContent = "";
  }

  function insertAt(text) {
    if (citeAt !== null && body) { body.selectionStart = body.selectionEnd = citeAt; }
    insertAtCursor(text);
  }
  function closeCite() {
    citePanel.hidden = true;
    citeOpen.setAttribute("aria-expanded", "false");
  }

  function lookUp(address) {
    if (lookupController) { lookupController.abort(); }
    var controller = new AbortController();
    lookupController = controller;
    picked = { url: address };
    newFields.hidden = false;
    citeStatus.textContent = "Looking up the page…";
    var data = new FormData();
    data.append("url", address);
    data.append("csrfmiddlewaretoken", csrfToken());
    fetch(citePanel.getAttribute("data-lookup-url"), {
      method: "POST", body: data, credentials: "same-origin", signal: controller.signal,
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    }).then(function (result) {
      if (lookupController !== controller) { return; }
      if (!result.ok) {
        citeStatus.textContent = (result.json.error || "The page could not be looked up.") +
          " Type the title below.";
        field("cite-title").focus();
        return;
      }
      var page = result.json;
      picked = { url: page.url || address };
      field("cite-title").value = page.title || "";
      field("cite-publisher").value = page.publisher || "";
      field("cite-author").value = page.author || "";
      field("cite-date").value = page.published_date || "";
      citeStatus.textContent = page.title ?
        "Found “" + page.title + "”: check the details, say where to look, and add it." :
        "The page gives no title: type it below.";
      field(page.title ? "cite-locator" : "cite-title").focus();
    }).catch(function (error) {
      if (error.name === "AbortError" || lookupController !== controller) { return; }
      citeStatus.textContent = "The lookup failed; type the source’s title below.";
    });
  }

  function searchSources(text) {
    var url = citePanel.getAttribute("data-search-url") + "?q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (json) {
        if (find.value.trim() !== text) { return; }
        found.textContent = "";
        (json.results || []).slice(0, 8).forEach(function (source, n) {
          var option = optionFor(source, "cite-found-" + n);
          option.addEventListener("click", function () { pick(source); });
          found.appendChild(option);
        });
        found.hidden = !found.children.length;
        find.setAttribute("aria-expanded", found.hidden ? "false" : "true");
        citeStatus.textContent = found.hidden ?
          "No source matches: paste the page’s address instead." :
          found.children.length + " found: choose one.";
      }).catch(function () { citeStatus.textContent = "The search failed; try again."; });
  }

  function pick(source) {
    picked = { existing: source };
    found.hidden = true;
    find.setAttribute("aria-expanded", "false");
    newFields.hidden = true;
    find.value = source.title;
    citeStatus.textContent = "Chosen: “" + source.title + "”. Add a quote or where to look, then add the citation.";
    field("cite-locator").focus();
  }

  function addCitation() {
    var quote = field("cite-quote").value.trim();
    var locator = field("cite-locator").value.trim();
    var title = field("cite-title").value.trim();
    if (!picked && /^https?:\/\/\S+$/i.test(find.value.trim())) { picked = { url: find.value.trim() }; }
    if (!picked) {
      citeStatus.textContent = "Paste the page’s address, or choose a source the wiki has.";
      find.focus();
      return;
    }
    if (picked.url && !title) {
      newFields.hidden = false;
      citeStatus.textContent = "Give the source a title.";
      field("cite-title").focus();
      return;
    }
    if (!quote && !locator) {
      citeStatus.textContent = "Give a supporting quote or where in the source to look.";
      field("cite-locator").focus();
      return;
    }
    var row = addRow();
    if (picked.existing) {
      var rowPicker = row.querySelector("[data-source-picker]");
      if (rowPicker) { choose(rowPicker, picked.existing); }
    } else {
      var set = function (name, value) {
        var input = row.querySelector("[name$='-" + name + "']");
        if (input) { input.value = value; }
      };
      set("kind", "web");
      set("title", title);
      set("url", picked.url);
      set("publisher", field("cite-publisher").value.trim());
      set("author", field("cite-author").value.trim());
      set("published_date", field("cite-date").value);
      row.querySelector(".citation-line-source").textContent = title;
      adapt(row);
    }
    row.querySelector("[name$='-quote']").value = quote;
    row.querySelector("[name$='-locator']").value = locator;
    var details = row.querySelector(".citation-details");
    if (details) { details.open = false; }
    var key = row.querySelector("input[name$='-key']").value;
    insertAt("[@" + key + "]");
    closeCite();
    resetNew();
    syncPreview();
    showReaderNumbers();
  }

  if (citeOpen && citePanel && body && find) {
    citeOpen.hidden = false;
    citeOpen.addEventListener("click", function () {
      var opening = citePanel.hidden;
      if (opening) { citeAt = body.selectionStart; listCitations(); resetNew(); }
      citePanel.hidden = !opening;
      citeOpen.setAttribute("aria-expanded", opening ? "true" : "false");
      if (opening) { find.focus(); }
    });
    find.addEventListener("input", function () {
      var text = find.value.trim();
      picked = null;
      clearTimeout(lookupTimer);
      if (/^https?:\/\/\S+\.\S+/i.test(text)) {
        found.hidden = true;
        lookupTimer = setTimeout(function () { lookUp(text); }, 300);
      } else if (text.length >= MIN_LENGTH) {
        newFields.hidden = true;
        lookupTimer = setTimeout(function () { searchSources(text); }, SEARCH_DELAY);
      } else {
        found.hidden = true;
      }
    });
    find.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    citePanel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { closeCite(); citeOpen.focus(); }
      if (event.key === "Enter" && event.target.matches("input:not([type=search])")) {
        event.preventDefault();  // never submit the proposal from the panel
        addCitation();
      }
    });
    citePanel.addEventListener("click", function (event) {
      var choice = event.target.closest("[data-cite-key]");
      if (choice) {
        insertAt("[@" + choice.getAttribute("data-cite-key") + "]");
        closeCite();
      } else if (event.target.id === "cite-add") {
        addCitation();
      } else if (event.target.id === "cite-close") {
        closeCite();
        citeOpen.focus();
      }
    });
  }

  // On a phone, the text box and its preview are two tabs instead of one long column.
  var editorBox = body && body.closest(".markdownx");
  if (editorBox) {
    var tabs = document.createElement("div");
    tabs.className = "editor-tabs";
    tabs.setAttribute("role", "tablist");
    tabs.setAttribute("aria-label", "Text or preview");
    [["write", "Write"], ["preview", "Preview"]].forEach(function (pair) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.setAttribute("data-tab", pair[0]);
      tab.textContent = pair[1];
      tabs.appendChild(tab);
    });
    editorBox.parentNode.insertBefore(tabs, editorBox);
    var showTab = function (name) {
      editorBox.setAttribute("data-tab", name);
      Array.prototype.forEach.call(tabs.children, function (tab) {
        tab.setAttribute("aria-selected", tab.getAttribute("data-tab") === name ? "true" : "false");
      });
    };
    tabs.addEventListener("click", function (event) {
      var tab = event.target.closest("[data-tab]");
      if (tab) { showTab(tab.getAttribute("data-tab")); }
    });
    showTab("write");
  }

  form.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option && pickerOf(option)) {
      var picker = pickerOf(option);
      var index = Array.prototype.indexOf.call(option.parentNode.children, option);
      choose(picker, stateOf(picker).results[index]);
      return;
    }
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.classList.contains("source-clear")) {
      clearChoice(pickerOf(button));
      return;
    }
    if (button.hasAttribute("data-insert-text")) {
      insertAtCursor(button.getAttribute("data-insert-text"));
    } else if (button.hasAttribute("data-insert-marker")) {
      var row = button.closest(".citation-form");
      var key = row.querySelector("input[name$='-key']").value;
      insertAtCursor("[@" + key + "]");
    } else if (button.id === "add-citation" && template && total) {
      var added = addRow();
      syncPreview();
      var first = added.querySelector("select, input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    }
  });
}());
