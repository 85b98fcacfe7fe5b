"""Journey 2: the Genopole manager schedules a hybrid networking event in a room
(one in-person seat), a member registers in person, a second one lands on the
waitlist and is promoted when the first cancels. The event has a cover image; while
the one in-person seat is taken the page says online seats are still free; the link is
copied by keyboard. Every page is scanned by axe."""

from __future__ import annotations

import io
import random
import uuid

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import free_weekday


def test_journey_2_hybrid_event_waitlist_promotion(open_as, portal_server):
    base = portal_server
    tag = uuid.uuid4().hex[:6]
    rng = random.Random(tag)
    day, hour = free_weekday(rng), rng.randint(9, 16)
    title = f"Members' evening: cell therapy {tag}"

    # The manager schedules the event in a room of the cluster and publishes it.
    manager = open_as("manager@demo.example")
    manager.goto(base + "/events/manage/")
    assert_accessible(manager, "manage events")
    manager.goto(base + "/events/new/")
    assert_accessible(manager, "event form")
    form = manager.locator("main form")
    form.locator("select[name=cluster]").select_option(label="Genopole")
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=kind]").select_option("networking")
    form.locator("select[name=format]").select_option("hybrid")
    form.locator("input[name=start]").fill(f"{day.isoformat()}T{hour:02d}:00")
    form.locator("input[name=end]").fill(f"{day.isoformat()}T{hour + 1:02d}:30")
    room = form.locator("select[name=room]")
    curie = room.locator("option", has_text="Salle Curie").get_attribute("value")
    room.select_option(curie)
    form.locator("input[name=online_link]").fill("https://meet.example/cell-therapy")
    form.locator("input[name=capacity]").fill("1")
    form.locator("input[name=online_capacity]").fill("50")
    expect(form.locator("input[name=waitlist_enabled]")).to_be_checked()
    form.locator("select[name=audience]").select_option("cluster")
    form.locator("textarea[name=description]").fill("An evening for the cell-therapy community.")
    cover = io.BytesIO()
    Image.new("RGB", (320, 120), (11, 93, 87)).save(cover, format="PNG")
    form.locator("input[name=cover]").set_input_files(
        {"name": "cover.png", "mimeType": "image/png", "buffer": cover.getvalue()}
    )
    form.locator("input[name=cover_alt]").fill("Cell culture flasks under a hood")
    form.locator("button[type=submit]").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(title)
    event_url = manager.url
    expect(manager.locator("main")).to_contain_text("Salle Curie")
    assert_accessible(manager, "event detail (draft)")
    manager.get_by_role("button", name="Publish").click()
    expect(manager.get_by_role("button", name="Publish")).to_have_count(0)
    expect(manager.locator("main")).to_contain_text("1 of 1 seats left")
    expect(manager.get_by_role("img", name="Cell culture flasks under a hood")).to_be_visible()

    # A first member takes the only in-person seat.
    first = open_as("sme@demo.example")
    first.goto(base + "/events/")
    assert_accessible(first, "event list")
    first.goto(event_url)
    assert_accessible(first, "event detail (member)")
    seat = first.get_by_role("group", name="Seat")  # a fieldset named by its legend
    seat.get_by_label("In person").check()
    first.get_by_role("button", name="Register").click()
    expect(first.locator("main")).to_contain_text("You are registered.")
    expect(first.locator("main")).to_contain_text("Seat: In person.")
    assert_accessible(first, "event detail (registered)")

    # A second member lands on the waitlist.
    second = open_as("research@demo.example")
    second.goto(event_url)
    expect(second.locator("main")).to_contain_text("In person: Full")
    expect(second.locator("main")).to_contain_text("Online seats are still free.")
    assert_accessible(second, "event detail (in person full, online free)")
    copy = second.get_by_role("button", name="Copy link")
    copy.focus()
    second.keyboard.press("Enter")
    expect(second.locator("[data-copy-status]")).not_to_be_empty()
    second.get_by_role("group", name="Seat").get_by_label("In person").check()
    second.get_by_role("button", name="Register").click()
    expect(second.locator("main")).to_contain_text("You are number 1 on the waitlist.")
    assert_accessible(second, "event detail (waitlisted)")

    # The first cancels: the second is promoted at once.
    first.get_by_label("Yes, cancel my registration").check()
    first.get_by_role("button", name="Cancel my registration").click()
    expect(first.locator("main")).to_contain_text("The registration is cancelled.")
    second.goto(event_url)
    expect(second.locator("main")).to_contain_text("You are registered.")
    expect(second.locator("main")).to_contain_text("Seat: In person.")
    second.goto(base + "/events/mine/")
    expect(second.locator("main")).to_contain_text(title)
    assert_accessible(second, "my registrations")

    # The manager's attendee list shows the promotion.
    manager.goto(event_url.rstrip("/") + "/attendees/")
    assert_accessible(manager, "attendee list")
    confirmed = manager.locator("table", has=manager.locator("caption", has_text="confirmed"))
    expect(confirmed).to_contain_text("Lukas Becker")
    expect(confirmed).not_to_contain_text("Amélie Laurent")
