"""Journey 3: a BioWin member finds a room and books it weekly; one week is
already taken (booked by the cluster's manager through the same form), the
preview shows the conflict, the member books the free dates and then cancels one
occurrence. Every page is scanned by axe."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import free_weekday

ROOM = "Meeting room Meuse"


def fill_booking(form, *, title, day, hour, attendees=4):
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("input[name=start]").fill(f"{hour:02d}:00")
    form.locator("input[name=end]").fill(f"{hour + 1:02d}:00")
    form.locator("input[name=attendees]").fill(str(attendees))


def test_journey_3_weekly_booking_with_a_conflict_and_one_cancelled(open_as, portal_server):
    base = portal_server
    tag = uuid.uuid4().hex[:6]
    rng = random.Random(tag)
    day, hour = free_weekday(rng, 45, 60), rng.randint(9, 17)
    taken = day + timedelta(weeks=2)

    # The BioWin manager books the room on the third week first.
    manager = open_as("manager.biowin@demo.example")
    manager.goto(base + "/rooms/")
    manager.get_by_role("link", name=ROOM, exact=True).first.click()
    room_url = manager.url
    manager.goto(room_url + "book/")
    fill_booking(manager.locator("main form"), title=f"Board meeting {tag}", day=taken, hour=hour)
    manager.locator("main form button[type=submit]").click()
    expect(manager.locator("main")).to_contain_text("The room is booked.")

    # The member finds the room for four people on that day.
    member = open_as("other@demo.example")
    member.goto(base + "/rooms/")
    assert_accessible(member, "room finder")
    finder = member.locator("main form").first
    finder.locator("input[name=attendees]").fill("4")
    finder.locator("input[name=date]").fill(day.isoformat())
    finder.locator("input[name=start]").fill(f"{hour:02d}:00")
    finder.locator("input[name=end]").fill(f"{hour + 1:02d}:00")
    finder.get_by_role("button", name="Search").click()
    result = member.locator("li.room-card", has_text=ROOM)
    expect(result).to_be_visible()
    expect(result.locator(".room-amenities li").first).to_be_visible()  # icon and text
    assert_accessible(member, "room finder results")
    slot = f"Book {hour:02d}:00–{hour + 1:02d}:00"
    result.get_by_role("link", name=slot, exact=True).click()
    assert_accessible(member, "booking form")

    # Weekly, four times: the preview shows the manager's week as a conflict.
    form = member.locator("main form")
    fill_booking(form, title=f"Team workshop {tag}", day=day, hour=hour)
    form.locator("select[name=repeat]").select_option("weekly")
    form.locator("input[name=count]").fill("4")
    form.locator("button[type=submit]").click()
    expect(member.locator("main")).to_contain_text("3 dates are free, 1 cannot be booked.")
    rows = member.locator("main table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(2)).to_contain_text("conflict")
    for i in (0, 1, 3):
        expect(rows.nth(i)).to_contain_text("free")
    assert_accessible(member, "recurring booking preview")
    member.get_by_role("button", name="Book the 3 free dates").click()
    expect(member.locator("main")).to_contain_text("3 dates booked, 1 skipped.")
    series = member.locator("table", has=member.locator("caption", has_text="Dates of this series"))
    expect(series.locator("tbody tr")).to_have_count(3)
    assert_accessible(member, "booking detail")

    # The member cancels the second occurrence only.
    series.locator("tbody tr").nth(1).get_by_role("link").click()
    member.locator("textarea[name=reason]").fill("Half the team is away that week.")
    member.get_by_label("Yes, cancel this booking").check()
    member.get_by_role("button", name="Cancel this booking").click()
    expect(member.locator("main")).to_contain_text("Cancelled")
    series = member.locator("table", has=member.locator("caption", has_text="Dates of this series"))
    statuses = series.locator("tbody tr td")
    expect(statuses).to_have_text(["Confirmed", "Cancelled", "Confirmed"])
    member.goto(base + "/rooms/bookings/")  # (paginated: the new dates are weeks ahead)
    expect(member.get_by_role("heading", level=1)).to_have_text("My bookings")
    assert_accessible(member, "my bookings")
