/*
 * Accessible autocomplete (ARIA 1.2 combobox with a listbox popup) for inputs carrying data-autocomplete-url.
 *
 * - data-autocomplete="cpv": the input holds a CPV code; choosing an option writes the code. With
 *   data-autocomplete-multiple="true" the input holds several codes separated by commas and the last one is completed.
 * - data-autocomplete="organisation": the visible input holds the name; the hidden input that follows
 *   (data-autocomplete-value) receives the public id. Typing again clears it so the two never disagree.
 *
 * Keyboard: Down/Up move in the list (opening it), Enter chooses, Escape closes (or clears when closed), Tab leaves.
 * Without this script the inputs are plain text inputs that the server understands.
 * Event delegation: inputs added later (new formset rows) work without re-initialisation.
 */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DELAY_MS = 200;
  var counter = 0;
  var states = new WeakMap();

  function lastToken(value) {
    var parts = value.split(",");
    return parts[parts.length - 1].trim();
  }

  function setup(input) {
    var state = states.get(input);
    if (state) return state;
    counter += 1;
    var listbox = document.createElement("ul");
    listbox.id = (input.id || "autocomplete-" + counter) + "-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.className = "relais-combobox__listbox";
    listbox.hidden = true;
    Object.assign(listbox.style, {
      position: "absolute", zIndex: "1000", left: "0", right: "0", maxHeight: "18rem", overflowY: "auto",
      margin: "0", padding: "0", listStyle: "none", background: "var(--background-default-grey, #fff)",
      border: "1px solid var(--border-default-grey, #ddd)", boxShadow: "0 4px 8px rgba(0,0,0,.15)"
    });
    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var wrapper = input.parentNode;
    wrapper.style.position = "relative";
    wrapper.appendChild(listbox);
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    state = { listbox: listbox, status: status, items: [], active: -1, timer: null, request: 0 };
    states.set(input, state);
    return state;
  }

  function hiddenTarget(input) {
    var node = input.nextElementSibling;
    return node && node.hasAttribute("data-autocomplete-value") ? node : null;
  }

  function close(input) {
    var state = setup(input);
    state.listbox.hidden = true;
    state.active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(input, index) {
    var state = setup(input);
    var options = state.listbox.children;
    if (!options.length) return;
    if (index < 0) index = options.length - 1;
    if (index >= options.length) index = 0;
    for (var i = 0; i < options.length; i++) {
      var selected = i === index;
      options[i].setAttribute("aria-selected", selected ? "true" : "false");
      options[i].style.background = selected ? "var(--background-action-low-blue-france, #e3e3fd)" : "";
    }
    state.active = index;
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function optionText(kind, item) {
    if (kind === "cpv") return item.code + " — " + item.label;
    var extra = [item.kind_label, item.siret ? "SIRET " + item.siret : "", item.city].filter(Boolean).join(" · ");
    return item.name + (extra ? " (" + extra + ")" : "");
  }

  function render(input, items) {
    var state = setup(input);
    var kind = input.getAttribute("data-autocomplete");
    state.items = items;
    state.listbox.innerHTML = "";
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = state.listbox.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "fr-p-1w";
      option.style.cursor = "pointer";
      option.textContent = optionText(kind, item);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the input
        choose(input, index);
      });
      state.listbox.appendChild(option);
    });
    state.status.textContent = items.length
      ? items.length + " suggestion(s). Utilisez les flèches haut et bas, puis Entrée pour choisir."
      : "Aucune suggestion.";
    if (items.length) {
      state.listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      state.active = -1;
      input.removeAttribute("aria-activedescendant");
    } else {
      close(input);
    }
  }

  function choose(input, index) {
    var state = setup(input);
    var item = state.items[index];
    if (!item) return;
    var kind = input.getAttribute("data-autocomplete");
    if (kind === "cpv") {
      if (input.getAttribute("data-autocomplete-multiple") === "true") {
        var parts = input.value.split(",").map(function (part) { return part.trim(); });
        parts[parts.length - 1] = item.code;
        input.value = parts.filter(Boolean).join(", ") + ", ";
      } else {
        input.value = item.code;
      }
    } else {
      input.value = item.name + (item.siret ? " — SIRET " + item.siret : "");
      var target = hiddenTarget(input);
      if (target) target.value = item.public_id;
    }
    state.status.textContent = "Choisi : " + optionText(kind, item);
    close(input);
  }

  function query(input) {
    var state = setup(input);
    var multiple = input.getAttribute("data-autocomplete-multiple") === "true";
    var text = multiple ? lastToken(input.value) : input.value.trim();
    if (text.length < MIN_CHARS) { close(input); return; }
    var url = new URL(input.getAttribute("data-autocomplete-url"), window.location.href);
    url.searchParams.set("q", text);
    state.request += 1;
    var ticket = state.request;
    fetch(url.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (ticket === state.request && document.activeElement === input) render(input, data.results || []);
      })
      .catch(function () { close(input); });
  }

  function isAutocomplete(node) {
    return node && node.nodeType === 1 && node.hasAttribute("data-autocomplete-url");
  }

  document.addEventListener("focusin", function (event) {
    if (isAutocomplete(event.target)) setup(event.target);
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!isAutocomplete(input)) return;
    var state = setup(input);
    var target = hiddenTarget(input);
    if (target) target.value = "";
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () { query(input); }, DELAY_MS);
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isAutocomplete(input)) return;
    var state = setup(input);
    var open = !state.listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (open) highlight(input, state.active + 1); else query(input);
        break;
      case "ArrowUp":
        if (open) { event.preventDefault(); highlight(input, state.active - 1); }
        break;
      case "Enter":
        if (open && state.active >= 0) { event.preventDefault(); choose(input, state.active); }
        break;
      case "Escape":
        if (open) { event.preventDefault(); close(input); }
        break;
      case "Tab":
        close(input);
        break;
      default:
        break;
    }
  });

  document.addEventListener("focusout", function (event) {
    if (isAutocomplete(event.target)) close(event.target);
  });
})();
