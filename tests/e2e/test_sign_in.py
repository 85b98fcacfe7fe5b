import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_demo_member_signs_in_and_sees_dashboard(portal_server, page):
    page.goto(portal_server + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("life-science clusters")
    expect(page.get_by_role("cell", name="Genopole", exact=True)).to_be_visible()
    sign_in(page, portal_server, "sme@demo.example")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Amélie Laurent")
    expect(page.get_by_text("NeoCell Therapeutics").first).to_be_visible()
