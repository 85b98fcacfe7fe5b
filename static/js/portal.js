// Small progressive enhancements; the portal works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit selects marked data-autosubmit (e.g. the language switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
});
// Send Django's CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
