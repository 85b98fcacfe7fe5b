"""Journey: a member narrows the directory with htmx (results update in place,
the URL follows), opens a profile and asks for an introduction; the other
organisation's admin accepts, and both sides then see each other's email.
Every page is scanned by axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible


def test_journey_directory_filter_profile_and_accepted_introduction(open_as, portal_server):
    base = portal_server
    member = open_as("sme@demo.example")
    member.goto(base + "/directory/")
    assert_accessible(member, "directory")
    results = member.locator("#directory-results")
    before = results.inner_text()

    # Choosing a country updates the results without a page load; the URL follows.
    member.evaluate("window.__sameDocument = true")
    member.locator("select[name=country]").select_option("BE")
    expect(results).not_to_have_text(before)
    expect(member).to_have_url(re.compile(r"country=BE"))
    member.locator("input[name=q]").fill("microfluidic")
    expect(results.get_by_role("link", name="Mosa Diagnostics")).to_be_visible()
    expect(member).to_have_url(re.compile(r"q=microfluidic"))
    assert member.evaluate("window.__sameDocument") is True  # never reloaded
    assert_accessible(member, "directory, filtered")

    # The shared URL gives the same results on a fresh load.
    member.reload()
    expect(member.locator("#directory-results")).to_contain_text("Mosa Diagnostics")

    member.locator("#directory-results").get_by_role("link", name="Mosa Diagnostics").click()
    expect(member.locator("h1")).to_have_text("Mosa Diagnostics")
    assert_accessible(member, "profile")
    assert "@" not in member.locator("main").inner_text()
    member.locator("textarea[name=message]").fill(
        "We would like to discuss companion diagnostics for our CAR-T programme."
    )
    member.get_by_role("button", name="Ask for an introduction").click()
    expect(member.locator("main")).to_contain_text("Your request was sent to Mosa Diagnostics")
    assert "other@demo.example" not in member.locator("main").inner_text()
    intro_url = member.url

    other = open_as("other@demo.example")
    other.goto(base + "/introductions/")
    assert_accessible(other, "introductions received")
    other.get_by_role("link", name="NeoCell Therapeutics").first.click()
    assert "sme@demo.example" not in other.locator("main").inner_text()
    other.get_by_role("button", name="Accept and share contact details").click()
    expect(other.locator("main")).to_contain_text("sme@demo.example")
    assert_accessible(other, "introduction accepted")

    member.goto(intro_url)
    expect(member.locator("main")).to_contain_text("other@demo.example")
