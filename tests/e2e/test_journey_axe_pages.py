"""axe-core over the other pages a visitor, a member and a manager use every day
(the journeys scan their own pages): zero serious or critical violations. One
test per role; it lists every page's violations before failing."""

from __future__ import annotations

import re

import pytest

from tests.e2e.axe import BLOCKING, SCANNED, format_violations, scan

BROKERAGE = "/brokerage/genopole-partnering-day-cell-and-gene-therapy"
PAGES = {
    None: ["/", "/accounts/login/", "/accounts/signup/", "/clusters/genopole/"],
    "sme@demo.example": [
        "/directory/",
        "/introductions/",
        "/services/",
        "/rooms/bookings/",
        "/events/mine/",
        BROKERAGE + "/participants/",
        BROKERAGE + "/profile/",
        "/notifications/",
        "/account/privacy/",
        "/organisation/people/",
        "/fees/our/",
        "/fees/our/billing/",
        "/newsletters/preferences/",
    ],
    "manager@demo.example": [
        "/insights/",
        "/partners/clusters/genopole/",
        "/rooms/manage/",
        "/rooms/manage/approvals/",
        "/rooms/manage/utilisation/",
        "/applications/",
        BROKERAGE + "/setup/",
        "/fees/genopole/invoices/",
        "/fees/genopole/memberships/",
        "/fees/genopole/plans/",
        "/fees/genopole/plans/new/",
        "/fees/genopole/billing/",
        "/fees/genopole/overview/",
        "/newsletters/manage/genopole/",
        "/newsletters/manage/genopole/new/",
    ],
    "admin@demo.example": ["/insights/network/", "/insights/trends/", "/audit/"],
}


@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: (w or "visitor").split("@")[0])
def test_other_pages_have_no_serious_axe_violations(who, open_as, request, portal_server):
    page = open_as(who) if who else request.getfixturevalue("page")
    problems = []
    for path in PAGES[who]:
        response = page.goto(portal_server + path)
        if response is None or response.status >= 400:
            problems.append(f"{path}: HTTP {response.status if response else '?'}")
            continue
        violations = scan(page)
        SCANNED.append((f"{who or 'visitor'} {path}", page.url, violations))
        blocking = [v for v in violations if v.get("impact") in BLOCKING]
        if blocking:
            problems.append(f"{path}:\n{format_violations(blocking)}")
    assert not problems, "axe-core, serious or critical:\n" + "\n".join(problems)


def test_pages_reflow_at_320_css_pixels(open_as, portal_server):
    """WCAG 1.4.10: at 320 CSS px (400% zoom of 1280) pages without a data table
    scroll only vertically."""
    page = open_as("sme@demo.example")
    page.set_viewport_size({"width": 320, "height": 640})
    wide = {}
    for path in [
        "/dashboard/",
        "/services/requests/new/",
        "/events/genopole-hybrid-networking-cell-therapy/",
        "/account/privacy/",
        "/fees/our/billing/",
        "/newsletters/preferences/",
    ]:
        page.goto(portal_server + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    assert not wide, f"pages wider than 320 px: {wide}"


def test_mobile_layout_has_no_serious_axe_violations(open_as, portal_server):
    """At 390 px (a phone) the navigation collapses and the account menu shows only the
    avatar: its button keeps the person's name as its accessible name."""
    page = open_as("sme@demo.example")
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for path in ["/dashboard/", "/directory/", "/rooms/", "/events/"]:
        page.goto(portal_server + path)
        violations = scan(page)
        SCANNED.append((f"sme 390px {path}", page.url, violations))
        blocking = [v for v in violations if v.get("impact") in BLOCKING]
        if blocking:
            problems.append(f"{path}:\n{format_violations(blocking)}")
    assert not problems, "axe-core at 390 px, serious or critical:\n" + "\n".join(problems)
    # With JavaScript the <details> menu becomes a button; its accessible name is the
    # person's (the name is visually hidden at this width, not display:none).
    account = page.locator('nav[aria-label="Account"]')
    assert account.get_by_role("button", name=re.compile("Amélie")).count() == 1
