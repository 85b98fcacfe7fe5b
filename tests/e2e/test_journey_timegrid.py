"""The room week's time grid: a member books by dragging over free cells, and
another time by keyboard (arrows, Shift+arrow, Enter). The form opens with the
chosen start and end; axe scans the grid."""

from __future__ import annotations

import random
import uuid

from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import free_weekday

ROOM = "Meeting room Meuse"


def open_week(page, base, day):
    page.goto(base + "/rooms/")
    page.get_by_role("link", name=ROOM, exact=True).first.click()
    page.goto(page.url.split("?")[0] + f"?week={day.isoformat()}")
    expect(page.locator("table.timegrid")).to_be_visible()


def cell(page, day, start):
    return page.locator(f'td.tg-free[data-date="{day.isoformat()}"][data-start="{start}"]')


def test_book_by_dragging_on_the_time_grid(open_as, portal_server):
    tag = uuid.uuid4().hex[:6]
    # Past the demo bookings (42 days) and the other journeys (45-60): the cells are free.
    day = free_weekday(random.Random(tag), 61, 72)
    page = open_as("other@demo.example")
    open_week(page, portal_server, day)
    assert_accessible(page, "room time grid")
    a, b = cell(page, day, "15:00"), cell(page, day, "16:00")
    a.scroll_into_view_if_needed()
    box_a, box_b = a.bounding_box(), b.bounding_box()
    page.mouse.move(box_a["x"] + 5, box_a["y"] + 5)
    page.mouse.down()
    page.mouse.move(box_b["x"] + 5, box_b["y"] + 5, steps=8)
    page.mouse.up()
    form = page.locator("main form")
    expect(form.locator("input[name=start]")).to_have_value("15:00")
    expect(form.locator("input[name=end]")).to_have_value("16:30")
    expect(form.locator("input[name=date]")).to_have_value(day.isoformat())
    form.locator("input[name=title]").fill(f"Dragged {tag}")
    form.locator("input[name=attendees]").fill("3")
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("The room is booked.")


def test_book_by_keyboard_on_the_time_grid(open_as, portal_server):
    tag = uuid.uuid4().hex[:6]
    day = free_weekday(random.Random(tag), 73, 86)
    page = open_as("other@demo.example")
    open_week(page, portal_server, day)
    cell(page, day, "14:00").focus()
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    expect(page.locator("td.tg-selected")).to_have_count(3)
    page.keyboard.press("Enter")
    form = page.locator("main form")
    expect(form.locator("input[name=start]")).to_have_value("14:00")
    expect(form.locator("input[name=end]")).to_have_value("15:30")
    form.locator("input[name=title]").fill(f"Keyed {tag}")
    form.locator("input[name=attendees]").fill("3")
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("The room is booked.")
