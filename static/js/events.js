// The event list's filter panel (<details data-collapse-narrow open>) starts closed on
// narrow screens, where it would push the events below the fold; it stays a <details>,
// so the summary opens it by keyboard or touch. Without JavaScript it is simply open.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(max-width: 48rem)").matches) return;
  document.querySelectorAll("details[data-collapse-narrow]").forEach((d) => {
    const form = d.querySelector("form");
    const active = form && [...new FormData(form).entries()].some(([k, v]) => k !== "when" && v);
    if (!active) d.open = false;
  });
});
