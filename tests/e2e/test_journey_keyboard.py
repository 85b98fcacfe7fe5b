"""Keyboard alone: the skip link is the first Tab stop and moves focus to main;
the account menu (a disclosure button in the header's "Account" navigation) and the
request form are used with Tab, arrows, typing, Enter and Escape only (no mouse),
with a visible focus indicator on every stop."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
    text: (el.innerText || el.value || '').trim(), href: el.getAttribute('href') || '',
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    inNav: !!el.closest('nav[aria-label]'),
    controls: el.getAttribute('aria-controls') || '',
    expanded: el.getAttribute('aria-expanded') || '',
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, match, *, limit: int = 80, back: bool = False) -> dict:
    """Press Tab until `match(focused)` is true; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        el = focused(page)
        if el["tag"] != "body":
            assert el["outline"], f"no visible focus on {el}"
        if match(el):
            return el
    raise AssertionError(f"not reached with {limit} Tab presses; last focus {el}")


def test_skip_link_navigation_and_request_form_by_keyboard(open_as, portal_server):
    page = open_as("sme@demo.example")
    page.goto(portal_server + "/dashboard/")

    # The skip link is the first Tab stop, visible when focused, and leads to main.
    page.keyboard.press("Tab")
    el = focused(page)
    assert el["href"] == "#main" and el["text"] == "Skip to main content", el
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")

    # The account menu: Tab to its button, open it with Enter, close it with Escape
    # (focus stays on the button), open it again and follow "My requests" inside it.
    page.goto(portal_server + "/dashboard/")
    menu = tab_to(page, lambda e: e["inNav"] and e["controls"] == "account-menu")
    assert menu["tag"] == "button" and menu["expanded"] == "false", menu
    page.keyboard.press("Enter")
    assert focused(page)["expanded"] == "true"
    expect(page.locator("#account-menu")).to_be_visible()
    page.keyboard.press("Escape")
    assert focused(page)["controls"] == "account-menu" and focused(page)["expanded"] == "false"
    expect(page.locator("#account-menu")).to_be_hidden()
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["inNav"] and e["text"] == "My requests")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/services/requests/$"))
    tab_to(page, lambda e: e["text"] == "Ask for help")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/services/requests/new/$"))

    # The request form, field by field.
    subject = f"Keyboard-only request {uuid.uuid4().hex[:6]}"
    tab_to(page, lambda e: e["name"] == "category")
    page.keyboard.press("ArrowDown")  # the first category
    tab_to(page, lambda e: e["name"] == "subject")
    page.keyboard.type(subject)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "details"
    page.keyboard.type("Filled in with the keyboard alone.")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "urgency"
    page.keyboard.press("ArrowDown")
    el = tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Send my request")
    assert el["outline"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(subject)
    expect(page).to_have_url(re.compile(r"/services/requests/\d+/$"))
