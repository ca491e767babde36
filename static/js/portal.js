/* Progressive enhancement only: every control works without this file.
   1. The search box becomes an ARIA 1.2 combobox with suggestions (titles, organizations, tags).
   2. Long facet lists get a filter box.
   3. On small screens the filter panel starts closed.
   4. After a filter click (a link: the page reloads), focus returns to the same filter, not the page top. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function combobox(input) {
    var url = input.getAttribute("data-suggest-url");
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var lastTyped = "";
    var pending = null;

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (item) { window.location.href = item.url; }
    }

    function render(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        var text = document.createElement("span");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-kind", item.kind);
        kind.className = "suggestion-kind";
        kind.textContent = input.getAttribute("data-kind-" + item.kind) || item.kind;
        text.textContent = item.text;
        li.appendChild(kind);
        li.appendChild(text);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      active = -1;
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      status.textContent = found.length ? found.length + " " + (input.getAttribute("data-suggest-label") || "") : "";
    }

    var fetchSuggestions = debounce(function (typed) {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(typed), { signal: pending.signal, headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === typed) { render(data.suggestions || []); } })
        .catch(function () { /* a failed suggestion is not an error the user needs to see */ });
    }, 150);

    input.addEventListener("input", function () {
      var typed = input.value.trim();
      if (typed === lastTyped) { return; }
      lastTyped = typed;
      if (!typed) { render([]); return; }
      fetchSuggestions(typed);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { if (items.length) { render(items); } return; }
        event.preventDefault();
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
    // Submitting always searches for what was typed; the list never stays open over the page.
    if (input.form) { input.form.addEventListener("submit", close); }
  }

  function facetFilter(holder) {
    var target = document.getElementById(holder.getAttribute("data-facet-filter"));
    if (!target) { return; }
    var id = holder.getAttribute("data-facet-filter") + "-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    label.setAttribute("for", id);
    label.textContent = holder.getAttribute("data-label") || "";
    input.id = id;
    input.type = "text";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", target.id);
    holder.appendChild(label);
    holder.appendChild(input);
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(target.children, function (li) {
        // Matches the name shown and the other language's name (data-names), e.g. "Department" or "กรม".
        var names = (li.textContent + " " + (li.getAttribute("data-names") || "")).toLowerCase();
        li.hidden = wanted !== "" && names.indexOf(wanted) < 0;
      });
    });
  }

  function collapseFiltersOnSmallScreens() {
    if (!window.matchMedia("(max-width: 59.99rem)").matches) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("details.filters"), function (d) { d.open = false; });
  }

  var FOCUS_KEY = "gdc-focus-filter";

  function rememberFilterClicks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.facet-value, a.chip");
      if (!link || !window.sessionStorage) { return; }
      try {
        sessionStorage.setItem(FOCUS_KEY, JSON.stringify({
          facet: link.getAttribute("data-facet"), value: link.getAttribute("data-value") }));
      } catch (e) { /* storage may be disabled; focus then simply starts at the top */ }
    });
  }

  function restoreFilterFocus() {
    var wanted = null;
    try {
      wanted = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null");
      sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) { return; }
    if (!wanted) { return; }
    var links = document.querySelectorAll("a.facet-value");
    var target = null;
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-facet") === wanted.facet && links[i].getAttribute("data-value") === wanted.value) {
        target = links[i];
        break;
      }
    }
    if (!target) {  // the value is gone (e.g. a chip removed it): the facet's heading, else the results
      target = document.getElementById("facet-" + wanted.facet) || document.getElementById("results-heading");
      if (target) { target.setAttribute("tabindex", "-1"); }
    }
    if (!target) { return; }
    var panel = target.closest("details");
    if (panel) { panel.open = true; }
    target.focus({ preventScroll: false });
    target.scrollIntoView({ block: "center" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), combobox);
    Array.prototype.forEach.call(document.querySelectorAll("[data-facet-filter]"), facetFilter);
    collapseFiltersOnSmallScreens();
    rememberFilterClicks();
    restoreFilterFocus();
  });
}());
