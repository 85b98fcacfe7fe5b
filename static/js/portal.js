// Small progressive enhancements; the portal works without JavaScript.
// Loaded in <head> without defer so .js is set before the page is drawn (the collapsed
// mobile navigation never flashes open); everything else waits for DOMContentLoaded.
document.documentElement.classList.add("js");

// Menus (docs/design.md): <details class="menu" data-menu><summary>…</summary>
// <div class="menu-panel" id>…</div></details> becomes a disclosure button with
// aria-expanded and aria-controls. Click, Enter or Space opens it; Escape closes it and
// gives focus back to its button; a click outside or focus leaving it closes it.
// Without JavaScript the <details> itself opens and closes.
const openMenus = new Set();
function setMenu(button, open) {
  const panel = document.getElementById(button.getAttribute("aria-controls"));
  if (!panel) return;
  button.setAttribute("aria-expanded", open ? "true" : "false");
  // The navigation list stays in place on wide screens: it is only marked collapsed.
  if (button.classList.contains("nav-toggle")) panel.toggleAttribute("data-collapsed", !open);
  else panel.hidden = !open;
  if (open) {
    openMenus.forEach((other) => { if (other !== button && !other.parentElement.contains(button)) setMenu(other, false); });
    openMenus.add(button);
  } else {
    openMenus.delete(button);
  }
}
function menuFromDetails(details) {
  const summary = details.querySelector(":scope > summary");
  const panel = details.querySelector(":scope > .menu-panel");
  if (!summary || !panel) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "menu-button";
  button.innerHTML = summary.innerHTML;
  button.setAttribute("aria-controls", panel.id);
  button.setAttribute("aria-expanded", "false");
  const wrap = document.createElement("div");
  wrap.className = details.className;
  panel.hidden = true;
  wrap.append(button, panel);
  details.replaceWith(wrap);
  button.addEventListener("click", () => setMenu(button, button.getAttribute("aria-expanded") !== "true"));
}
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !openMenus.size) return;
  const inside = [...openMenus].filter((b) => b.parentElement.contains(document.activeElement));
  const last = inside.length ? inside[inside.length - 1] : [...openMenus].pop();
  setMenu(last, false);
  if (inside.length) last.focus();
});
document.addEventListener("click", (event) => {
  openMenus.forEach((button) => { if (!button.parentElement.contains(event.target)) setMenu(button, false); });
});
document.addEventListener("focusin", (event) => {
  openMenus.forEach((button) => {
    if (!button.parentElement.contains(event.target)) setMenu(button, false);
  });
});

// Menus swapped in by htmx (the queue's "Columns" menu sits in its results).
document.addEventListener("htmx:load", (event) => {
  const elt = event.detail && event.detail.elt;
  if (elt && elt.querySelectorAll && document.readyState !== "loading") elt.querySelectorAll("details[data-menu]").forEach(menuFromDetails);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("details[data-menu]").forEach(menuFromDetails);
  // The mobile navigation toggle (shown by CSS under 60rem only).
  const toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    const list = document.getElementById(toggle.getAttribute("aria-controls"));
    if (list) list.setAttribute("data-collapsed", "");
    toggle.addEventListener("click", () => setMenu(toggle, toggle.getAttribute("aria-expanded") !== "true"));
  }
  // A notification's link also marks it read (the list's "Mark all as read" works without).
  document.querySelectorAll("a[data-mark-read]").forEach((link) => {
    link.addEventListener("click", () => {
      const token = document.querySelector("input[name=csrfmiddlewaretoken]");
      if (!token) return;
      fetch(link.dataset.markRead, {
        method: "POST", keepalive: true, redirect: "manual", credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
      }).catch(() => {});
    });
  });
  // Auto-submit selects marked data-autosubmit (e.g. the language switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
  // A form sent back with errors: move focus to its error summary, so the errors are
  // read first and each one links to its field (WCAG 3.3.1).
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
// Send Django's CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// Announce every htmx update through one live region that is never replaced
// (a region swapped out with its content is not reliably read by screen readers).
// A swapped element may say what to announce with data-announce. An element that
// polls (hx-trigger "every 1s") is announced only when that message changes, so a
// screen reader is not interrupted every second.
let lastAnnounced = "";
document.addEventListener("htmx:afterSettle", (event) => {
  const announcer = document.getElementById("live-announcer");
  if (!announcer) return;
  const elt = event.detail.elt;
  const source = elt && (elt.matches("[data-announce]") ? elt : elt.querySelector("[data-announce]"));
  const text = (source && source.dataset.announce) || announcer.dataset.updated;
  const polled = !!elt && /\bevery\b/.test(elt.getAttribute("hx-trigger") || "");
  const previous = lastAnnounced;
  lastAnnounced = text;
  if (polled && text === previous) return;
  announcer.textContent = "";
  window.setTimeout(() => { announcer.textContent = text; }, 50);
});
