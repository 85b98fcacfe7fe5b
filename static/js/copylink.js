// Copy-link button (templates/events/_copy_link.html). Without JavaScript, or where the
// clipboard is refused, the link stays visible in a read-only field to select and copy.
// The button is a real <button>: Enter and Space work, and the result is announced
// through the role="status" line beside it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy-link]").forEach((box) => {
    const source = box.querySelector("[data-copy-source]");
    const button = box.querySelector("[data-copy-button]");
    const status = box.querySelector("[data-copy-status]");
    if (!source || !button || !status) return;
    button.hidden = false;
    const fallback = () => {
      source.focus();
      source.select();
      status.textContent = box.dataset.copyFallback || "Press Ctrl+C (⌘C) to copy the selected link.";
    };
    button.addEventListener("click", () => {
      if (!navigator.clipboard || !window.isSecureContext) { fallback(); return; }
      navigator.clipboard.writeText(source.value).then(
        () => { status.textContent = box.dataset.copyDone || "Link copied."; },
        fallback,
      );
    });
  });
});
