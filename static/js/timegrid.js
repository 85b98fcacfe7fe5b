/* The room week's time grid: choose free time by click, drag or keyboard.
   Without this script every free cell is a link to the booking form with its
   half hour filled in; with it, a stretch of free cells in one day is chosen
   and the form opens with its start and end. Arrow keys move the focused cell,
   Shift+arrow extends the choice up or down, Enter (or Space) opens the form. */
(function () {
  "use strict";

  function setup(table) {
    if (table.dataset.timegridReady) return;
    table.dataset.timegridReady = "1";
    var bookUrl = table.dataset.bookUrl;
    var status = table.closest("section").querySelector("[data-timegrid-status]");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var grid = rows.map(function (r) {
      return Array.prototype.slice.call(r.querySelectorAll("td[data-col]"));
    });
    if (!grid.length || !grid[0].length) return;
    var cur = { r: 0, c: 0 };
    var anchor = null;
    var dragging = false;

    grid.forEach(function (cells, r) {
      cells.forEach(function (td, c) {
        td.tabIndex = -1;
        td.dataset.r = r;
        td.dataset.c = c;
        var a = td.querySelector("a");
        if (a && td.classList.contains("tg-free")) a.tabIndex = -1;
      });
    });
    var first = table.querySelector("td.tg-free") || grid[0][0];
    first.tabIndex = 0;
    cur = { r: +first.dataset.r, c: +first.dataset.c };

    function cell(p) { return grid[p.r] && grid[p.r][p.c]; }
    function free(p) { var td = cell(p); return td && td.classList.contains("tg-free"); }

    function focus(p) {
      var old = cell(cur);
      if (old) old.tabIndex = -1;
      cur = p;
      var td = cell(p);
      td.tabIndex = 0;
      td.focus();
    }

    function range() {
      if (!anchor) return null;
      var lo = Math.min(anchor.r, cur.r), hi = Math.max(anchor.r, cur.r);
      return { c: anchor.c, lo: lo, hi: hi };
    }

    function paint() {
      table.querySelectorAll(".tg-selected").forEach(function (td) {
        td.classList.remove("tg-selected");
        td.removeAttribute("aria-selected");
      });
      var s = range();
      if (!s) return;
      for (var r = s.lo; r <= s.hi; r++) {
        grid[r][s.c].classList.add("tg-selected");
      }
      var a = grid[s.lo][s.c].dataset, b = grid[s.hi][s.c].dataset;
      if (status) {
        status.textContent = a.date + " " + a.start + "-" + b.end + ": " +
          (table.dataset.pressEnter || "Enter opens the booking form.");
      }
    }

    function select(p) {
      if (!free(p)) { anchor = null; paint(); return; }
      anchor = { r: p.r, c: p.c };
      paint();
    }

    /* extend to p when every cell between the anchor and p is free */
    function extend(p) {
      if (!anchor || p.c !== anchor.c) return false;
      var lo = Math.min(anchor.r, p.r), hi = Math.max(anchor.r, p.r);
      for (var r = lo; r <= hi; r++) if (!free({ r: r, c: p.c })) return false;
      return true;
    }

    function book() {
      var s = range();
      if (!s || !bookUrl) return;
      var a = grid[s.lo][s.c].dataset, b = grid[s.hi][s.c].dataset;
      window.location.assign(bookUrl + "?date=" + a.date + "&start=" + a.start + "&end=" + b.end);
    }

    table.addEventListener("keydown", function (e) {
      var td = e.target.closest("td[data-col]");
      if (!td) return;
      var p = { r: +td.dataset.r, c: +td.dataset.c };
      var d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
      if (d) {
        var n = { r: p.r + d[0], c: p.c + d[1] };
        if (!cell(n)) return;
        e.preventDefault();
        if (e.shiftKey && d[1] === 0) {
          if (!anchor) select(p);
          if (extend(n)) { focus(n); paint(); }
          return;
        }
        focus(n);
        select(n);
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        if (!anchor) select(p);
        book();
      } else if (e.key === "Escape") {
        anchor = null;
        paint();
      }
    });

    table.addEventListener("focusin", function (e) {
      var td = e.target.closest("td[data-col]");
      if (td && !anchor) { cur = { r: +td.dataset.r, c: +td.dataset.c }; select(cur); }
    });

    table.addEventListener("pointerdown", function (e) {
      var td = e.target.closest("td.tg-free");
      if (!td || e.button !== 0) return;
      e.preventDefault();
      dragging = true;
      var p = { r: +td.dataset.r, c: +td.dataset.c };
      focus(p);
      select(p);
    });
    table.addEventListener("pointermove", function (e) {
      if (!dragging) return;
      var el = document.elementFromPoint(e.clientX, e.clientY);
      var td = el && el.closest("td[data-col]");
      if (!td || !table.contains(td)) return;
      var p = { r: +td.dataset.r, c: +td.dataset.c };
      if (extend(p)) { cur = p; paint(); }
    });
    document.addEventListener("pointerup", function () {
      if (!dragging) return;
      dragging = false;
      book();
    });
    table.addEventListener("click", function (e) {
      if (e.target.closest("td.tg-free a")) e.preventDefault();
    });
  }

  function init(root) {
    (root || document).querySelectorAll("table[data-timegrid]").forEach(setup);
  }
  document.addEventListener("DOMContentLoaded", function () { init(); });
  document.addEventListener("htmx:afterSwap", function () { init(); });
})();
