"""WCAG 2.2 AA in the browser, over the pages a member and a manager use: target
size (2.5.8), reflow at 320 CSS px with only labelled table regions scrolling
sideways (1.4.10), focus not obscured and visible (2.4.11, 2.4.7) both for every
Tab stop and for real Tab presses, headings in order and landmarks (1.3.1), html
lang (3.1.1) and unique page titles (2.4.2).

One signed-in browser page per role visits every page once (a module fixture);
each test then judges one criterion over what was measured, and lists every page
that fails before failing. The probes are in tests/e2e/wcag.py."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import BLOCKING, SCANNED, format_violations, scan
from tests.e2e.conftest import ARTIFACTS, set_language, sign_in
from tests.e2e.wcag import (
    ERRORS,
    FOCUS_ALL,
    FOCUSED,
    HEADINGS,
    LANDMARKS,
    REFLOW,
    TARGETS,
    TEXT_SPACING,
)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}  # 1280 px at 400 % zoom
TAB_PRESSES = 30
BROKERAGE = "/brokerage/genopole-partnering-day-cell-and-gene-therapy/"
EVENT = "/events/genopole-hybrid-networking-cell-therapy/"
# A Tuesday 1-2 weeks ahead (from the same clock as the demo data): rooms are open then.
_TUESDAY = date.today() + timedelta(days=7 + (1 - date.today().weekday()) % 7)
ROOM_SEARCH = f"/rooms/?attendees=4&date={_TUESDAY.isoformat()}&duration=60"

# (label, where, *flags): where is a path, or (label of a page visited before, pattern)
# for the first link on that page whose href matches; "submit" sends the page's form
# empty first; "axe" also runs axe-core on pages the other e2e tests do not scan.
MEMBER = "sme@demo.example"
MANAGER = "manager@demo.example"
VISITOR = "visitor"
PAGES = {
    VISITOR: [
        ("home", "/"),
        ("sign-in with errors", "/accounts/login/", "submit", "axe"),
        ("sign-up", "/accounts/signup/"),
        ("password reset", "/accounts/password/reset/", "axe"),
    ],
    MEMBER: [
        ("dashboard", "/dashboard/"),
        ("directory", "/directory/"),
        ("organisation", ("directory", r"^/organisations/[\w-]+/$")),
        ("my requests", "/services/requests/"),
        ("request detail", ("my requests", r"^/services/requests/\d+/$")),
        ("request form with errors", "/services/requests/new/", "submit"),
        ("room finder", "/rooms/"),
        ("room finder results", ROOM_SEARCH, "axe"),
        ("room week", ("room finder", r"^/rooms/\d+/$"), "axe"),
        ("booking form", ("room week", r"^/rooms/\d+/book/"), "axe"),
        ("my bookings", "/rooms/bookings/"),
        ("events", "/events/"),
        ("event detail", EVENT),
        ("brokerage", BROKERAGE),
        ("brokerage agenda", BROKERAGE + "agenda/"),
        ("brokerage profile (day grid)", BROKERAGE + "profile/"),
        ("notifications", "/notifications/"),
        ("account", "/accounts/email/", "axe"),
        ("your data", "/account/privacy/"),
        ("help", "/help/", "axe"),
    ],
    MANAGER: [
        ("insights", "/insights/"),
        ("request queue", "/services/queue/"),
        ("request detail (manager)", ("request queue", r"^/services/requests/\d+/$")),
        ("room bookings", "/rooms/manage/bookings/"),
        ("room approvals", "/rooms/manage/approvals/"),
        ("manage events", "/events/manage/"),
        ("event form with errors", "/events/new/", "submit", "axe"),
        ("brokerage schedule", BROKERAGE + "schedule/"),
        ("brokerage grid", BROKERAGE + "schedule/grid/", "axe"),
        ("applications", "/applications/"),
        ("account (manager)", "/accounts/email/"),
    ],
}


@dataclass
class Audit:
    label: str
    path: str = ""
    status: int = 0
    title: str = ""
    lang: str = ""
    hrefs: list[str] = field(default_factory=list)
    targets: dict = field(default_factory=dict)
    headings: list = field(default_factory=list)
    landmarks: dict = field(default_factory=dict)
    reflow: dict = field(default_factory=dict)
    focus_all: dict = field(default_factory=dict)
    tabbing: list[dict] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    text_spacing: list[str] = field(default_factory=list)
    desktop_width: int = 0


def _resolve(where, audits: dict[str, Audit]) -> str:
    if isinstance(where, str):
        return where
    source, pattern = where
    found = [h for h in audits[source].hrefs if re.search(pattern, h)]
    assert found, f"no link matching {pattern} on {source} ({audits[source].path})"
    return found[0]


def _tab_through(page) -> list[dict]:
    """Real Tab presses from the top of the page at phone width."""
    # Start from the top: the body becomes the point sequential navigation starts from.
    page.evaluate(
        """() => { const b = document.body; b.tabIndex = -1; b.focus(); b.removeAttribute('tabindex');
                   scrollTo(0, 0); }"""
    )
    stops = []
    for _ in range(TAB_PRESSES):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["what"] == "body" or (stops and stop["what"] == stops[0]["what"]):
            break  # left the page or went round
        stops.append(stop)
    return stops


def _audit(page, base: str, label: str, path: str, flags: list[str]) -> Audit:
    page.set_viewport_size(DESKTOP)
    response = page.goto(base + path)
    if "submit" in flags:  # sent empty, past the browser's own checks, to get the server's errors
        button = page.locator("main form button[type=submit]").last
        button.evaluate("b => { b.form.noValidate = true; }")
        with page.expect_navigation():
            button.click()
    audit = Audit(label=label, path=path, status=response.status if response else 0)
    if "submit" in flags:
        audit.errors = page.evaluate(ERRORS)
    audit.title = page.title()
    audit.lang = page.locator("html").get_attribute("lang") or ""
    audit.hrefs = page.eval_on_selector_all(
        "main a[href]", "els => els.map(a => a.getAttribute('href'))"
    )
    audit.targets = page.evaluate(TARGETS)
    audit.headings = page.evaluate(HEADINGS)
    audit.landmarks = page.evaluate(LANDMARKS)
    audit.desktop_width = page.evaluate("() => document.documentElement.scrollWidth")
    audit.text_spacing = page.evaluate(TEXT_SPACING)
    if "axe" in flags:
        violations = scan(page)
        SCANNED.append((f"wcag22 {label}", page.url, violations))
        audit.axe = [format_violations([v]) for v in violations if v.get("impact") in BLOCKING]
    page.set_viewport_size(PHONE)
    audit.reflow = page.evaluate(REFLOW)
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies to focus()
    audit.focus_all = page.evaluate(FOCUS_ALL)
    audit.tabbing = _tab_through(page)
    return audit


@pytest.fixture(scope="module")
def audits(browser, portal_server) -> dict[str, dict[str, Audit]]:
    """{role: {label: Audit}}: every page of PAGES, visited once by one signed-in page per role."""
    result = {}
    for email, pages in PAGES.items():
        context = browser.new_context(locale="en-GB", viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if email != VISITOR:
                sign_in(page, portal_server, email)
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                set_language(page, "en")
            done: dict[str, Audit] = {}
            for label, where, *flags in pages:
                path = _resolve(where, done)
                done[label] = _audit(page, portal_server, label, path, flags)
            result[email] = done
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "wcag22-audit.json").write_text(
                json.dumps(
                    {r: {k: asdict(v) for k, v in p.items()} for r, p in result.items()}, indent=1
                )
            )
        finally:
            context.close()
    return result


def _all(audits):
    return [a for pages in audits.values() for a in pages.values()]


def test_every_audited_page_opens(audits):
    bad = [f"{a.label} {a.path}: HTTP {a.status}" for a in _all(audits) if a.status != 200]
    assert bad == []
    assert sum(len(pages) for pages in audits.values()) == sum(len(p) for p in PAGES.values())


def test_pages_without_other_scans_have_no_serious_axe_violations(audits):
    bad = {f"{a.label} {a.path}": a.axe for a in _all(audits) if a.axe}
    assert bad == {}
    assert sum(1 for pages in PAGES.values() for _, _, *flags in pages if "axe" in flags) >= 8


def test_forms_sent_with_errors_focus_a_summary_and_tie_each_error_to_its_field(audits):
    """3.3.1, 3.3.3, 1.3.1: on load the summary has focus, its links lead to fields,
    and every field marked invalid names its error message."""
    sent = [a for a in _all(audits) if a.errors]
    assert len(sent) == 3
    bad = {
        a.label: a.errors
        for a in sent
        if not a.errors["summaryFocused"] or a.errors["deadLinks"] or a.errors["untied"]
    }
    assert bad == {}
    assert all(a.errors["invalid"] >= 2 for a in sent)
    assert all(a.errors["summaryText"].startswith("There is a problem") for a in sent)


def test_targets_are_at_least_24_css_pixels_or_spaced(audits):
    """2.5.8: links inside sentences are exempt; every other target is 24x24 or spaced."""
    bad = {
        f"{a.label} {a.path}": a.targets["failures"] for a in _all(audits) if a.targets["failures"]
    }
    assert bad == {}
    assert all(a.targets["count"] > 10 for a in _all(audits))  # the probe saw the page


def test_no_sideways_scrolling_at_320_css_pixels_except_labelled_regions(audits):
    """1.4.10: the page is no wider than 320 px; only named, focusable regions (data
    tables) scroll sideways."""
    bad = {}
    for a in _all(audits):
        problems = []
        if a.reflow["pageWidth"] > a.reflow["viewport"]:
            problems.append(f"page is {a.reflow['pageWidth']} px wide")
        if a.desktop_width > DESKTOP["width"]:
            problems.append(f"page is {a.desktop_width} px wide at {DESKTOP['width']} px")
        problems += [
            f"{s['what']} scrolls but is no labelled region"
            for s in a.reflow["scrollers"]
            if not s["ok"]
        ]
        if problems:
            bad[f"{a.label} {a.path}"] = problems
    assert bad == {}
    scrolling = [s for a in _all(audits) for s in a.reflow["scrollers"]]
    assert scrolling, "no table scrolled at 320 px: the probe or the pages changed"


def test_text_spacing_loses_no_content(audits):
    """1.4.12: line height 1.5, paragraph spacing 2, letter spacing .12 and word
    spacing .16 (times the font size): no box clips or spills its text."""
    bad = {f"{a.label} {a.path}": a.text_spacing for a in _all(audits) if a.text_spacing}
    assert bad == {}


def test_every_tab_stop_is_visible_and_not_obscured(audits):
    """2.4.11 and 2.4.7, for every Tab stop of each page at 320 px (focus() scrolls as Tab does)."""
    bad = {
        f"{a.label} {a.path}": a.focus_all["problems"]
        for a in _all(audits)
        if a.focus_all["problems"]
    }
    assert bad == {}


def test_tabbing_moves_forward_visibly_from_the_skip_link(audits):
    """Real Tab presses at 320 px: the skip link first, then stops that are each shown,
    uncovered and never the same element twice in a row (focus is not trapped)."""
    bad = {}
    for a in _all(audits):
        stops = a.tabbing
        problems = [s["problem"] for s in stops if s["problem"]]
        if not stops or not stops[0]["what"].startswith('a.skip-link "Skip to main content"'):
            problems.append(f"first Tab stop is {stops[0]['what'] if stops else 'nothing'}")
        # The same element (key), not the same description: two bookings both called
        # "Partner meeting" may follow each other in a list.
        repeats = [
            s["what"]
            for prev, s in zip(stops, stops[1:], strict=False)
            if prev["key"] == s["key"] and not s["segmented"]
        ]
        problems += [f"focus stuck on {w}" for w in repeats]
        # Count elements, not descriptions: `what` is cut at 40 characters, so two
        # notifications 'New We received your request REQ-GENO-131' and '...132' read alike.
        reached = len({s["key"] for s in stops})
        if len(stops) < TAB_PRESSES and reached < a.focus_all["tabStops"]:
            problems.append(f"Tab left the page after {reached} of {a.focus_all['tabStops']} stops")
        if problems:
            bad[f"{a.label} {a.path}"] = problems
    assert bad == {}


def test_headings_start_at_h1_and_skip_no_level(audits):
    bad = {}
    for a in _all(audits):
        levels = [level for level, _ in a.headings]
        problems = []
        if levels[:1] != [1] or levels.count(1) != 1:
            problems.append(f"expected one h1 first, got {levels[:3]}")
        problems += [
            f"h{b} '{text}' after h{prev}"
            for prev, (b, text) in zip(levels, a.headings[1:], strict=False)
            if b > prev + 1
        ]
        if problems:
            bad[f"{a.label} {a.path}"] = problems
    assert bad == {}


def test_landmarks_hold_all_content(audits):
    expected = [
        "a.skip-link",
        "header.site-header",
        "main#main.container",
        "div#live-announcer.visually-hidden",
        "footer.site-footer",
    ]
    bad = {
        f"{a.label} {a.path}": a.landmarks
        for a in _all(audits)
        if a.landmarks["children"] != expected
        or a.landmarks["mains"] != 1
        or a.landmarks["navsWithoutName"]
    }
    assert bad == {}


def test_html_lang_is_the_active_language(audits):
    assert {(a.label, a.lang) for a in _all(audits) if a.lang != "en"} == set()


def test_page_titles_are_unique_and_say_what_the_page_is(audits):
    """2.4.2: "<page> · Biocluster portal", one title per page; a form sent with errors
    says so first."""
    titles = {}
    for a in _all(audits):
        assert (
            a.title.endswith(" · Biocluster portal")
            and len(a.title) > len(" · Biocluster portal") + 3
        ), a.title
        if "with errors" in a.label:
            assert a.title.startswith("Error: "), a.title
        titles.setdefault(a.title, set()).add(a.path)
    shared = {t: paths for t, paths in titles.items() if len(paths) > 1}
    assert shared == {}


def test_html_lang_follows_the_language_switcher(browser, portal_server):
    """3.1.1 and 3.1.2 for the whole page: German chosen in the header gives lang="de"
    and German titles; English again gives lang="en"."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, portal_server, MEMBER)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        set_language(page, "de")
        page.goto(portal_server + "/rooms/")
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.title() == "Raum finden · Biocluster-Portal", page.title()
    finally:
        set_language(page, "en")
        context.close()


def test_probes_catch_what_they_look_for(browser, portal_server):
    """The probes can fail: on a page given two tiny adjacent buttons, a wide block, a
    sideways-scrolling box without a name and a fixed bar over a link, each reports it."""
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(portal_server + "/help/")
        page.evaluate(  # styled through the CSSOM: the portal's CSP refuses style attributes
            """() => {
              const add = (parent, html, style) => {
                parent.insertAdjacentHTML('afterbegin', html);
                Object.assign(parent.firstElementChild.style, style);
                return parent.firstElementChild;
              };
              const main = document.querySelector('main');
              add(main, '<div>too wide</div>', {width: '700px'});
              add(add(main, '<div id="box"></div>', {overflowX: 'auto'}), '<div>wide</div>', {width: '900px'});
              const p = add(main, '<p></p>', {});
              for (const id of ['tiny2', 'tiny1'])
                add(p, `<button id="${id}"></button>`, {all: 'unset', width: '10px', height: '10px', display: 'inline-block'});
              add(document.body, '<div id="bar">bar</div>',
                  {position: 'fixed', top: '0', left: '0', right: '0', height: '100%', background: '#fff'});
            }"""
        )
        targets = page.evaluate(TARGETS)["failures"]
        assert any(f.startswith("button#tiny1 is 10x10 px") for f in targets), targets
        reflow = page.evaluate(REFLOW)
        assert reflow["pageWidth"] > 320
        assert [s["ok"] for s in reflow["scrollers"] if s["what"].startswith("div#box")] == [False]
        page.keyboard.press("Tab")
        problems = page.evaluate(FOCUS_ALL)["problems"]
        assert any("covered by the fixed div#bar" in p for p in problems), problems
    finally:
        context.close()


def test_htmx_update_is_announced_in_the_lasting_live_region(open_as, portal_server):
    """4.1.3: "Next week" on a room's week view swaps the week in with htmx; the one
    live region of base.html (never replaced) then says what changed."""
    page = open_as(MEMBER)
    page.goto(portal_server + "/rooms/")
    page.locator("main a[href^='/rooms/']").filter(has_text=re.compile(r"\w")).first.click()
    heading = page.locator("#room-week h2")
    before = heading.inner_text()
    page.evaluate("() => { document.getElementById('live-announcer').dataset.probe = 'kept'; }")
    page.locator("#room-week").get_by_role("link", name="Next week").click()
    expect(heading).not_to_have_text(before)
    announcer = page.locator("#live-announcer")
    expect(announcer).not_to_be_empty()
    assert announcer.get_attribute("data-probe") == "kept"  # the same element, not a new one
    assert announcer.get_attribute("role") == "status"
    assert "/rooms/" in page.url and "week=" in page.url  # hx-push-url: Back returns to it
