// The review page: comment on lines and words by selecting them in the diff.
//
// A line number selects its line (shift-select a second one for a range); words selected
// in the text offer "Comment on the selection". Either opens a comment form under the
// selected lines, its suggestion box holding the commented words for the moderator to
// edit. Without this script each line number opens the comment page instead.
(function () {
  "use strict";

  // Browsers without popovers show the decision forms in the panel instead.
  if (!HTMLElement.prototype.hasOwnProperty("popover")) {
    document.querySelectorAll(".decision-popover[popover]").forEach(function (box) {
      box.removeAttribute("popover");
    });
    document.querySelectorAll("[popovertarget]").forEach(function (button) {
      button.hidden = true;
    });
  }

  // The comment page: the suggestion box follows the quoted words until it is edited.
  var quoteInput = document.getElementById("id_quote");
  var suggestionBox = document.getElementById("id_suggestion");
  if (quoteInput && suggestionBox) {
    var lines = suggestionBox.value;
    var automatic = suggestionBox.value;
    quoteInput.addEventListener("input", function () {
      if (suggestionBox.value !== automatic) return; // the moderator's own words now
      automatic = quoteInput.value || lines;
      suggestionBox.value = automatic;
    });
  }

  var template = document.getElementById("line-comment");
  var linesData = document.getElementById("comment-lines");
  if (!template || !linesData) return;
  var texts = JSON.parse(linesData.textContent);
  var diff = document.querySelector("#text-diff-heading") &&
    document.querySelector("#text-diff-heading").parentElement.querySelector("table.diff");
  if (!diff) return;

  var selection = null; // {side, start, end, quote}
  var composer = null; // the <tr> holding the open form
  var floating = null; // the "Comment on the selection" button

  function cellsOf(side) {
    return Array.prototype.slice.call(diff.querySelectorAll('td.text[data-side="' + side + '"]'));
  }

  function rowOf(side, line) {
    var cell = diff.querySelector('td.text[data-side="' + side + '"][data-line="' + line + '"]');
    return cell ? cell.closest("tr") : null;
  }

  function linesText(side, start, end) {
    return (texts[side] || []).slice(start - 1, end).join("\n");
  }

  function mark() {
    diff.querySelectorAll("tr.is-selected").forEach(function (row) {
      row.classList.remove("is-selected");
    });
    if (!selection) return;
    cellsOf(selection.side).forEach(function (cell) {
      var line = Number(cell.dataset.line);
      if (line >= selection.start && line <= selection.end) cell.closest("tr").classList.add("is-selected");
    });
  }

  function closeComposer() {
    if (composer) composer.remove();
    composer = null;
  }

  function open(chosen) {
    selection = chosen;
    mark();
    hideFloating();
    var keep = composer && composer.querySelector("textarea[name=body]").value;
    closeComposer();
    var last = rowOf(chosen.side, chosen.end);
    if (!last) return;
    // After the threads already under that line, if any.
    var after = last.nextElementSibling && last.nextElementSibling.classList.contains("diff-threads")
      ? last.nextElementSibling : last;
    composer = document.createElement("tr");
    composer.className = "diff-composer";
    var cell = document.createElement("td");
    cell.colSpan = 4;
    cell.appendChild(template.content.cloneNode(true));
    composer.appendChild(cell);
    after.after(composer);

    var form = composer.querySelector("form");
    form.elements.side.value = chosen.side;
    form.elements.line_start.value = chosen.start;
    form.elements.line_end.value = chosen.end;
    form.elements.quote.value = chosen.quote || "";
    var what = chosen.start === chosen.end ? "line " + chosen.start : "lines " + chosen.start + "–" + chosen.end;
    var place = form.querySelector(".line-comment-place");
    place.textContent = "On " + what + " of " + (chosen.side === "new" ? "the proposal" : "the approved text") +
      (chosen.quote ? ", the words “" + chosen.quote + "”" : "") + ".";
    var suggestion = form.elements.suggestion;
    if (chosen.side === "new") {
      suggestion.value = chosen.quote || linesText(chosen.side, chosen.start, chosen.end);
    } else {
      // Suggestions replace the proposal's words, not the approved text's.
      form.querySelector(".line-comment-suggestion").remove();
    }
    var body = form.elements.body;
    if (keep) body.value = keep;
    form.querySelector("[data-cancel]").addEventListener("click", function () {
      closeComposer();
      selection = null;
      mark();
    });
    body.focus({ preventScroll: true });
    composer.scrollIntoView({ block: "nearest" });
  }

  // Line numbers: select a line, or with shift a range from the one selected.
  diff.addEventListener("click", function (event) {
    var link = event.target.closest("a.line-comment");
    if (!link || event.ctrlKey || event.metaKey) return;
    var cell = link.closest("tr").querySelector('td.text[data-line="' + link.textContent.trim() + '"]');
    if (!cell) return;
    event.preventDefault();
    var side = cell.dataset.side;
    var line = Number(cell.dataset.line);
    if (event.shiftKey && selection && selection.side === side) {
      var first = Math.min(selection.start, line);
      var last = Math.max(selection.end, line);
      if (line < selection.start) last = selection.end;
      if (line > selection.end) first = selection.start;
      open({ side: side, start: first, end: last, quote: "" });
    } else {
      open({ side: side, start: line, end: line, quote: "" });
    }
  });

  // Words: what was selected in the text cells of one side, less what that side lacks
  // (struck-out words are not in the proposal; inserted ones are not in the approved text).
  function selected() {
    var chosen = window.getSelection();
    if (!chosen || chosen.isCollapsed || !chosen.rangeCount) return null;
    var range = chosen.getRangeAt(0);
    var from = nodeCell(range.startContainer);
    var to = nodeCell(range.endContainer);
    if (!from || !to || from.dataset.side !== to.dataset.side || !diff.contains(from)) return null;
    var side = from.dataset.side;
    var start = Number(from.dataset.line);
    var end = Number(to.dataset.line);
    if (end < start) return null;
    var quote = "";
    if (start === end) {
      var copy = document.createElement("div");
      copy.appendChild(range.cloneContents());
      copy.querySelectorAll(side === "new" ? "del" : "ins").forEach(function (gone) { gone.remove(); });
      quote = copy.textContent;
      var line = linesText(side, start, end);
      if (line.indexOf(quote) < 0) quote = quote.trim();
      if (!quote || line.indexOf(quote) < 0) quote = "";
    }
    return { side: side, start: start, end: end, quote: quote, rect: range.getBoundingClientRect() };
  }

  function nodeCell(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element ? element.closest("td.text[data-line]") : null;
  }

  function hideFloating() {
    if (floating) floating.hidden = true;
  }

  function offer() {
    var chosen = selected();
    if (!chosen) return hideFloating();
    if (!floating) {
      floating = document.createElement("button");
      floating.type = "button";
      floating.className = "button button-small selection-comment";
      floating.textContent = "Comment on the selection";
      floating.addEventListener("mousedown", function (event) { event.preventDefault(); });
      floating.addEventListener("click", function () {
        var current = selected() || floating.chosen;
        if (current) open(current);
        window.getSelection().removeAllRanges();
      });
      document.body.appendChild(floating);
    }
    floating.chosen = chosen;
    floating.hidden = false;
    var top = window.scrollY + chosen.rect.bottom + 6;
    var left = Math.min(window.scrollX + chosen.rect.left, window.scrollX + document.documentElement.clientWidth - floating.offsetWidth - 8);
    floating.style.top = top + "px";
    floating.style.left = Math.max(window.scrollX + 8, left) + "px";
  }

  document.addEventListener("mouseup", function (event) {
    if (floating && event.target === floating) return;
    window.setTimeout(offer, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") offer();
  });
  document.addEventListener("selectionchange", function () {
    // Touch screens select without mouseup: offer once the selection settles.
    window.clearTimeout(offer.timer);
    offer.timer = window.setTimeout(offer, 400);
  });
})();
