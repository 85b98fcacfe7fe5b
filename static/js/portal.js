// Small progressive enhancements; the portal works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
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
