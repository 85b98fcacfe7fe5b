"""In-page probes for the WCAG 2.2 checks that axe-core does not make
(tests/e2e/test_wcag22.py): each is one `page.evaluate` and returns plain data.

- TARGETS: 2.5.8 Target Size (Minimum). Every pointer target (link, button, form
  control, summary, Tab stop) is at least 24x24 CSS px, unless it is a link inside
  a sentence (the inline exception) or it is spaced: a 24 px circle centred on it
  touches no other target and no other small target's circle.
- REFLOW: 1.4.10 at 320 CSS px. The page does not scroll sideways; anything that
  does scroll sideways is a named region with tabindex="0" ({% scrollregion %}).
- HEADINGS: the heading levels as a screen reader meets them (hidden ones skipped,
  visually hidden ones kept).
- LANDMARKS: body holds the skip link, banner, main, the live region and the
  footer, nothing outside them.
- FOCUS_ALL: 2.4.11 Focus Not Obscured and 2.4.7 Focus Visible. Focuses every Tab
  stop in turn (focus() scrolls as Tab does) and reports those that a fixed or
  sticky element covers, that end up outside the viewport, or show no outline.
- FOCUSED: the same checks for document.activeElement, after a real Tab press; `key`
  tells elements apart (their place in the document), `what` describes them.
"""

_DESCRIBE = """
const describe = (el) => {
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  const id = el.id ? '#' + el.id : '';
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  return `${el.tagName.toLowerCase()}${id}${cls}${text ? ' "' + text + '"' : ''}`;
};
"""

_TAB_STOPS = """
const TAB_STOPS = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
const shown = (el) => el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0;
"""

TARGETS = (
    "() => {"
    + _DESCRIBE
    + _TAB_STOPS
    + """
  const MIN = 24 - 0.5;  // sub-pixel rounding
  const SENTENCE = 'p, li, td, th, dd, dt, caption, figcaption, label, legend, h1, h2, h3, h4, h5, h6, blockquote, div';
  const targets = [...document.querySelectorAll(TAB_STOPS + ', [role=button]')]
    .filter((el) => !el.matches('.table-scroll, main, .skip-link, label'))
    .filter(shown);
  // The inline exception: a link whose enclosing block holds words outside any target.
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest(SENTENCE);
    if (!block) return false;
    const clone = block.cloneNode(true);
    clone.querySelectorAll('a, button, input, select, textarea, .visually-hidden').forEach((t) => t.remove());
    return /[\\p{L}\\p{N}]/u.test(clone.textContent);
  };
  const boxes = targets.map((el) => {
    const r = el.getBoundingClientRect();
    const small = r.width < MIN || r.height < MIN;
    return {el, r, small, inline: small && inSentence(el), cx: r.left + r.width / 2, cy: r.top + r.height / 2};
  });
  const toRect = (b, r) => {
    const dx = Math.max(r.left - b.cx, 0, b.cx - r.right);
    const dy = Math.max(r.top - b.cy, 0, b.cy - r.bottom);
    return Math.hypot(dx, dy);
  };
  const failures = [];
  for (const a of boxes) {
    if (!a.small || a.inline) continue;
    const clash = boxes.find((b) => b !== a && !a.el.contains(b.el) && !b.el.contains(a.el)
      && (toRect(a, b.r) < 12 || (b.small && !b.inline && Math.hypot(a.cx - b.cx, a.cy - b.cy) < 24)));
    if (clash) failures.push(`${describe(a.el)} is ${Math.round(a.r.width)}x${Math.round(a.r.height)} px, too close to ${describe(clash.el)}`);
  }
  return {count: targets.length, failures};
}"""
)

REFLOW = (
    "() => {"
    + _DESCRIBE
    + """
  const de = document.documentElement;
  const named = (el) => (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
    .map((id) => document.getElementById(id)).some((l) => l && l.textContent.trim())
    || !!(el.getAttribute('aria-label') || '').trim();
  const scrollers = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.matches('textarea, select, input') || el.scrollWidth <= el.clientWidth + 1) continue;
    const ox = getComputedStyle(el).overflowX;
    if (ox !== 'auto' && ox !== 'scroll') continue;
    const ok = el.getAttribute('role') === 'region' && el.getAttribute('tabindex') === '0' && named(el);
    scrollers.push({what: describe(el), ok, width: el.scrollWidth});
  }
  return {pageWidth: de.scrollWidth, viewport: de.clientWidth, scrollers};
}"""
)

HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
  .filter((h) => h.checkVisibility({visibilityProperty: true}) && !h.closest('[aria-hidden=true]'))
  .map((h) => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50)])"""

LANDMARKS = """() => ({
  children: [...document.body.children].filter((el) => !el.matches('script, template'))
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '')),
  mains: document.querySelectorAll('main').length,
  navsWithoutName: [...document.querySelectorAll('nav')].filter((n) => !n.getAttribute('aria-label') && !n.getAttribute('aria-labelledby')).length,
})"""

_FOCUS_CHECK = """
const overlays = [...document.querySelectorAll('body *')].filter((o) => {
  const p = getComputedStyle(o).position;
  return (p === 'fixed' || p === 'sticky') && o.getClientRects().length > 0;
});
const focusProblem = (el) => {
  // A link broken over two lines: judge its first visible line box, not the bounding box.
  const vh0 = innerHeight;
  const r = [...el.getClientRects()].find((q) => q.bottom > 0 && q.top < vh0 && q.width >= 1) || el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = innerHeight;
  const left = Math.max(r.left, 0), right = Math.min(r.right, vw);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
  if (right - left < 1 || bottom - top < 1) return `${describe(el)} is outside the viewport (${Math.round(r.left)},${Math.round(r.top)})`;
  for (const o of overlays) {
    if (o.contains(el)) continue;
    const q = o.getBoundingClientRect();
    if (Math.min(right, q.right) > Math.max(left, q.left) && Math.min(bottom, q.bottom) > Math.max(top, q.top))
      return `${describe(el)} is covered by the ${getComputedStyle(o).position} ${describe(o)}`;
  }
  const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
  if (hit && !el.contains(hit) && !(hit.control === el))
    return `${describe(el)} is covered by ${describe(hit)}`;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  if (!outline && s.boxShadow === 'none') return `${describe(el)} shows no focus indicator`;
  return null;
};
"""

FOCUS_ALL = (
    "() => {"
    + _DESCRIBE
    + _TAB_STOPS
    + _FOCUS_CHECK
    + """
  const stops = [...document.querySelectorAll(TAB_STOPS)].filter(shown).filter((el) => el.tabIndex >= 0);
  const problems = [];
  for (const el of stops) {
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;  // e.g. inside a closed <details>
    const p = focusProblem(el);
    if (p) problems.push(p);
  }
  document.activeElement && document.activeElement.blur();
  window.scrollTo(0, 0);
  // Tab visits a radio group once (the arrow keys move inside it).
  const groups = new Set(stops.filter((el) => el.type === 'radio').map((el) => `${el.form ? [...document.forms].indexOf(el.form) : ''}/${el.name}`));
  const tabStops = stops.filter((el) => el.type !== 'radio').length + groups.size;
  return {count: stops.length, tabStops, problems};
}"""
)

FOCUSED = (
    "() => {"
    + _DESCRIBE
    + _FOCUS_CHECK
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return {what: 'body', key: -1, problem: null};
  // Which element, by its place in the document (two may share a description).
  const key = [...document.querySelectorAll('*')].indexOf(el);
  // Date and time fields take several Tab presses (day, month, year, picker).
  const segmented = el.matches('input[type=date], input[type=time], input[type=datetime-local], input[type=month], input[type=week]');
  return {what: describe(el), key, problem: focusProblem(el), inMain: !!el.closest('main'), segmented};
}"""
)

ERRORS = """() => {
  const summary = document.querySelector('[data-error-summary]');
  const links = summary ? [...summary.querySelectorAll('a[href^="#"]')] : [];
  const invalid = [...document.querySelectorAll('main [aria-invalid=true]')];
  return {
    summaryFocused: !!summary && document.activeElement === summary,
    summaryText: summary ? summary.innerText.trim().slice(0, 200) : '',
    deadLinks: links.filter((a) => !document.getElementById(a.hash.slice(1))).map((a) => a.hash),
    invalid: invalid.length,
    untied: invalid.filter((el) => !(el.getAttribute('aria-describedby') || '').split(/\\s+/)
      .some((id) => { const d = document.getElementById(id); return d && d.classList.contains('error') && d.textContent.trim(); }))
      .map((el) => el.name || el.id),
  };
}"""

# 1.4.12 Text Spacing: with the criterion's spacing forced on every element (a
# constructed stylesheet, which the CSP allows), no box clips or spills its text.
TEXT_SPACING = (
    "() => {"
    + _DESCRIBE
    + """
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
                     p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const problems = [];
  for (const el of document.querySelectorAll('body *')) {
    // Form fields scroll their own text; svg text is drawn, not laid out.
    if (el.closest('.visually-hidden, svg, select, textarea, input, script') || el.clientHeight === 0) continue;
    const s = getComputedStyle(el);
    const scrolls = (v) => v === 'auto' || v === 'scroll';
    const overY = el.scrollHeight > el.clientHeight + 1 && !scrolls(s.overflowY);
    const overX = el.scrollWidth > el.clientWidth + 1 && !scrolls(s.overflowX) && !el.closest('.table-scroll');
    if (overY || overX) problems.push(`${describe(el)}: content ${el.scrollWidth}x${el.scrollHeight} in a ${el.clientWidth}x${el.clientHeight} box (overflow ${s.overflowX}/${s.overflowY})`);
  }
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((x) => x !== sheet);
  return problems;
}"""
)
