"""Journey 4: at the Genopole partnering day, a participant (colleague@, NeoCell)
asks another (research@, Rhine Institute) for a meeting, who accepts; the manager
runs "Schedule all" (eager task in the e2e server: the progress partial shows the
run done), publishes preliminary agendas, and both see the meeting with its time
in their agenda. Every page is scanned by axe."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible

EVENT = "genopole-partnering-day-cell-and-gene-therapy"  # events/demo.py GENOPOLE_BROKERAGE


def test_journey_4_meeting_request_accepted_scheduled_in_both_agendas(open_as, portal_server):
    home = f"{portal_server}/brokerage/{EVENT}/"
    tag = uuid.uuid4().hex[:6]

    # Marc (NeoCell) finds Lukas in the participant list and asks for a meeting.
    asker = open_as("colleague@demo.example")
    asker.goto(portal_server + "/brokerage/")
    assert_accessible(asker, "my meetings")
    asker.goto(home)
    assert_accessible(asker, "brokerage home")
    asker.goto(home + "participants/")
    search = asker.locator("main input[name=q]")
    search.fill("Becker")
    with asker.expect_navigation():
        search.press("Enter")
    assert_accessible(asker, "participant list (search)")
    asker.get_by_role("link", name="Lukas Becker").click()
    expect(asker.get_by_role("heading", level=1)).to_contain_text("Lukas Becker")
    assert_accessible(asker, "participant detail")
    asker.locator("main form textarea[name=message]").fill(
        f"Your single-cell platform could profile our CAR-T products ({tag})."
    )
    asker.get_by_role("button", name="Send the request").click()
    expect(asker.locator("main")).to_contain_text("Your request was sent.")
    sent = asker.get_by_role("row").filter(has_text="Lukas Becker")
    expect(sent).to_contain_text(tag)
    expect(sent).to_contain_text("Pending")

    # Lukas accepts it in his list of requests.
    answerer = open_as("research@demo.example")
    answerer.goto(home + "requests/")
    row = answerer.get_by_role("row").filter(has_text="Marc Dubois")
    expect(row).to_contain_text(tag)
    assert_accessible(answerer, "meeting requests")
    row.get_by_role("button", name="Accept").click()
    expect(answerer.locator("main")).to_contain_text("Marc Dubois")
    answerer.goto(home + "agenda/")
    expect(answerer.get_by_role("row").filter(has_text="Marc Dubois")).to_be_visible()

    # The manager schedules everything; the task runs at once in the e2e server.
    manager = open_as("manager@demo.example")
    manager.goto(home + "schedule/")
    assert_accessible(manager, "schedule")
    manager.get_by_role("button", name=re.compile(r"^Schedule all")).click()
    progress = manager.locator("#run-progress")
    expect(progress).to_contain_text(re.compile(r"Done at .*meetings scheduled"), timeout=60_000)
    assert_accessible(manager, "schedule (run done)")
    manager.get_by_role("button", name="Publish preliminary agendas").click()
    expect(manager.locator("main")).to_contain_text("Preliminary")
    manager.goto(home + "schedule/grid/")
    assert_accessible(manager, "schedule grid")

    # Both see the meeting, with a time and a table, in their agenda.
    slot = re.compile(r"\d{2}:\d{2}–\d{2}:\d{2}")
    for page, partner in ((asker, "Lukas Becker"), (answerer, "Marc Dubois")):
        page.goto(home + "agenda/")
        meeting = page.get_by_role("row").filter(has_text=partner)
        expect(meeting).to_have_count(1)
        expect(meeting.locator("td").first).to_have_text(slot)
        assert_accessible(page, f"agenda of {partner}'s partner")
