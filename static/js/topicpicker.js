// Topic picker (docs/design.md): a native <select multiple> inside
// <div class="topic-picker" data-topic-picker> becomes a searchable combobox with chips,
// after the WAI-ARIA APG combobox pattern (list autocomplete, a multi-select listbox
// popup, focus stays in the text field, the active option by aria-activedescendant).
// The select stays in the form, hidden, and is what is submitted: every choice made
// here sets its options. Without JavaScript the select is used as it is.
//
// Keys in the field: typing filters (case and accents ignored; labels and aliases);
// Down/Up open the list and move; Alt+Down opens it; Enter toggles the active option
// and clears the search; Space toggles it when an option is active; Escape closes the
// list (again: clears the search); Backspace in an empty field removes the last chip.
(function () {
  "use strict";
  let uid = 0;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, key) => (key in values ? values[key] : ""));
  }
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text) node.textContent = text;
    return node;
  }

  function enhance(wrap) {
    const select = wrap.querySelector("select[multiple]");
    if (!select || wrap.dataset.enhanced) return;
    wrap.dataset.enhanced = "1";
    const t = wrap.dataset;
    const base = select.id || "topic-picker-" + ++uid;
    const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;

    const chips = el("ul", { class: "topic-chips", "aria-label": (label ? label.textContent.trim() + ": " : "") + t.chosen });
    const input = el("input", {
      type: "text", id: base + "-search", role: "combobox", "aria-expanded": "false",
      "aria-controls": base + "-listbox", "aria-autocomplete": "list", autocomplete: "off",
      spellcheck: "false", class: "topic-picker-input",
    });
    const hint = el("div", { class: "help", id: base + "-hint" }, t.hint);
    const described = [select.getAttribute("aria-describedby"), hint.id].filter(Boolean).join(" ");
    input.setAttribute("aria-describedby", described);
    const listbox = el("ul", { role: "listbox", id: base + "-listbox", "aria-multiselectable": "true", class: "topic-listbox" });
    if (label) listbox.setAttribute("aria-label", label.textContent.trim());
    listbox.hidden = true;
    const nomatch = el("div", { class: "topic-nomatch" });
    nomatch.hidden = true;
    const status = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });

    // One listbox option per <option>, with what it is found by.
    const items = [...select.options].map((option, index) => {
      const group = option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
      const li = el("li", { role: "option", id: base + "-opt-" + index, "aria-selected": "false" });
      li.append(el("span", { class: "topic-option-mark", "aria-hidden": "true" }));
      li.append(document.createTextNode(option.text));
      if (group) li.append(el("span", { class: "topic-option-group" }, " " + group));
      listbox.append(li);
      const terms = fold([option.text, group, option.dataset.aliases || ""].join(" | "));
      return { option, li, terms };
    });

    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    if (label) label.htmlFor = input.id;
    const box = el("div", { class: "topic-picker-box" });
    box.append(chips, input);
    wrap.append(box, hint, listbox, nomatch, status);

    let visible = items;
    let active = -1; // index in `visible`

    function announce(text) {
      status.textContent = "";
      window.setTimeout(() => { status.textContent = text; }, 50);
    }
    function countText() {
      const n = items.filter((it) => it.option.selected).length;
      return n === 0 ? t.none : n === 1 ? t.one : fill(t.many, { count: n });
    }
    function renderChips() {
      chips.replaceChildren();
      items.forEach((it) => {
        it.li.setAttribute("aria-selected", it.option.selected ? "true" : "false");
        if (!it.option.selected) return;
        const li = el("li");
        const button = el("button", { type: "button", class: "topic-chip", "aria-label": fill(t.remove, { topic: it.option.text }) });
        button.append(document.createTextNode(it.option.text), el("span", { "aria-hidden": "true", class: "topic-chip-x" }, "×"));
        button.addEventListener("click", () => { toggle(it); input.focus(); });
        li.append(button);
        chips.append(li);
      });
      chips.hidden = !chips.children.length;
    }
    function setActive(index) {
      visible.forEach((it) => it.li.classList.remove("is-active"));
      active = index;
      if (index < 0 || !visible[index]) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
        return;
      }
      const it = visible[index];
      it.li.classList.add("is-active");
      input.setAttribute("aria-activedescendant", it.li.id);
      it.li.scrollIntoView({ block: "nearest" });
    }
    function open() {
      listbox.hidden = !visible.length;
      nomatch.hidden = visible.length > 0 || !input.value.trim();
      input.setAttribute("aria-expanded", visible.length ? "true" : "false");
    }
    function close() {
      setActive(-1);
      listbox.hidden = true;
      nomatch.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
    function isOpen() { return input.getAttribute("aria-expanded") === "true"; }
    function filter() {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      visible = items.filter((it) => {
        const shown = words.every((w) => it.terms.includes(w));
        it.li.hidden = !shown;
        return shown;
      });
      nomatch.textContent = fill(t.nomatch, { query: input.value.trim() });
      setActive(-1);
      open();
      if (!visible.length && input.value.trim()) announce(nomatch.textContent);
    }
    function toggle(it) {
      it.option.selected = !it.option.selected;
      renderChips();
      announce(countText());
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", filter);
    // The search text is not part of the form: its change must not look like one (the
    // directory's htmx form reloads its results on every change).
    input.addEventListener("change", (event) => event.stopPropagation());
    input.addEventListener("keydown", (event) => {
      const key = event.key;
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen()) { open(); if (event.altKey) return; }
        if (!visible.length) return;
        if (key === "ArrowDown") setActive(active < visible.length - 1 ? active + 1 : 0);
        else setActive(active > 0 ? active - 1 : visible.length - 1);
      } else if (key === "Enter") {
        if (!isOpen()) return; // a closed list: Enter sends the form, as in any field
        event.preventDefault();
        if (active < 0) return;
        const it = visible[active];
        toggle(it);
        input.value = "";
        filter();
        setActive(visible.indexOf(it));
      } else if (key === " " && active >= 0 && isOpen()) {
        event.preventDefault();
        toggle(visible[active]);
      } else if (key === "Escape") {
        if (isOpen()) { event.preventDefault(); event.stopPropagation(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; filter(); close(); }
      } else if (key === "Backspace" && !input.value) {
        const chosen = items.filter((it) => it.option.selected);
        if (chosen.length) { event.preventDefault(); toggle(chosen[chosen.length - 1]); }
      } else if (key === "Tab") {
        close();
      }
    });
    input.addEventListener("focus", () => { if (!isOpen()) { filter(); close(); } });
    input.addEventListener("blur", () => window.setTimeout(() => { if (document.activeElement !== input) close(); }, 150));
    input.addEventListener("click", () => { if (!isOpen()) open(); });
    // A pointer chooses an option without taking the focus from the field.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const li = event.target.closest("[role=option]");
      const it = li && items.find((x) => x.li === li);
      if (!it) return;
      toggle(it);
      setActive(visible.indexOf(it));
      input.focus();
    });
    // The form's reset button puts the select back; follow it.
    if (select.form) select.form.addEventListener("reset", () => window.setTimeout(renderChips, 0));
    renderChips();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("[data-topic-picker]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  // Parts of a page swapped in by htmx (a filter form drawn again).
  document.addEventListener("htmx:load", (event) => {
    const elt = event.detail && event.detail.elt;
    if (elt && elt.querySelectorAll) enhanceAll(elt.matches && elt.matches("[data-topic-picker]") ? elt.parentNode : elt);
  });
})();
