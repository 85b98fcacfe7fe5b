/* The availability day grid (templates/brokerage/widgets/day_grid.html): shows each
   day's "All day" / "None" buttons and its count of ticked slots. The checkboxes are
   native inputs, so without this script the grid still works by mouse, keyboard and
   screen reader; "None" keeps the slots that hold a meeting (data-busy), which the
   server would refuse to drop. */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-day-grid]").forEach((grid) => {
    const template = grid.dataset.countTemplate || "%(n)s / %(total)s";
    grid.querySelectorAll("[data-day]").forEach((day) => {
      const boxes = [...day.querySelectorAll("input[type=checkbox]")];
      const count = day.querySelector("[data-day-count]");
      const tools = day.querySelector("[data-day-tools]");
      const update = () => {
        const n = boxes.filter((b) => b.checked).length;
        count.textContent = template.replace("%(n)s", n).replace("%(total)s", boxes.length);
      };
      day.querySelectorAll("[data-day-set]").forEach((button) => {
        button.addEventListener("click", () => {
          const on = button.dataset.daySet === "all";
          boxes.forEach((b) => {
            if (!on && b.hasAttribute("data-busy")) return;
            b.checked = on;
          });
          update();
        });
      });
      boxes.forEach((b) => b.addEventListener("change", update));
      tools.hidden = false;
      update();
    });
  });
});
