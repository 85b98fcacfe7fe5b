"""The cooperation profile's availability day grid by keyboard: a participant
(sme@, Amélie Laurent) clears the event day with its "None" button, ticks two slots
with Tab and Space, saves with Enter, and finds exactly those slots (plus any slot
holding one of her meetings, which "None" keeps) ticked when she comes back. Each
day is a group named by its date, each checkbox named by its time; axe scans the
page. "All day" then gives her every slot back for the other journeys."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible

EVENT = "genopole-partnering-day-cell-and-gene-therapy"  # events/demo.py GENOPOLE_BROKERAGE
TIME = re.compile(r"^\d{2}:\d{2}–\d{2}:\d{2}")


def ticked(day) -> list[bool]:
    return [box.is_checked() for box in day.get_by_role("checkbox").all()]


def test_availability_set_by_keyboard_on_the_day_grid(open_as, portal_server):
    page = open_as("sme@demo.example")
    profile = f"{portal_server}/brokerage/{EVENT}/profile/"
    page.goto(profile)
    day = page.locator("fieldset[data-day]").first
    legend = day.locator("legend").inner_text()
    group = page.get_by_role("group", name=legend)
    expect(group).to_have_count(1)
    boxes = group.get_by_role("checkbox")
    total = boxes.count()
    assert total >= 3
    expect(boxes.first).to_have_accessible_name(TIME)
    busy = [box.get_attribute("data-busy") is not None for box in boxes.all()]
    free = [i for i, b in enumerate(busy) if not b]
    none = group.get_by_role("button", name=re.compile(r"^None"))
    expect(none).to_be_visible()  # shown by static/js/daygrid.js
    assert_accessible(page, "cooperation profile (day grid)")

    # "None" by keyboard: every slot without a meeting is unticked.
    none.focus()
    page.keyboard.press("Enter")
    assert ticked(group) == busy
    # Tab from the button walks the checkboxes in time order; Space ticks one.
    first, second = free[0], free[2] if len(free) > 2 else free[-1]
    page.keyboard.press("Tab")
    for _ in range(first):
        page.keyboard.press("Tab")
    expect(boxes.nth(first)).to_be_focused()
    page.keyboard.press("Space")
    for _ in range(second - first):
        page.keyboard.press("Tab")
    expect(boxes.nth(second)).to_be_focused()
    page.keyboard.press("Space")
    wanted = [b or i in (first, second) for i, b in enumerate(busy)]
    assert ticked(group) == wanted
    count = sum(wanted)
    expect(group.locator("[data-day-count]")).to_have_text(f"{count} of {total} slots ticked")

    page.get_by_role("button", name="Save", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Your cooperation profile is saved.")

    # Back on the profile: the saved availability, exactly.
    page.goto(profile)
    assert ticked(group) == wanted
    expect(group.locator("[data-day-count]")).to_have_text(f"{count} of {total} slots ticked")

    # "All day" gives every slot back (the other journeys schedule with it).
    group.get_by_role("button", name=re.compile(r"^All day")).focus()
    page.keyboard.press("Enter")
    assert ticked(group) == [True] * total
    page.get_by_role("button", name="Save", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(profile)
    assert ticked(group) == [True] * total
