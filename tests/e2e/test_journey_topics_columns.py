"""Keyboard alone: an organisation's admin picks two topics in the topic picker (type,
arrows, Enter), removes one with Backspace and saves the profile; the saved topics are
the ones chosen. A manager chooses the queue's columns in its "Columns" menu, and the
list reads as cards at 320 px. Every page is scanned by axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible

EDIT = "/organisations/neocell-therapeutics/edit/"
ATTENDEES = "/events/genopole-hybrid-networking-cell-therapy/attendees/"
PHONE = {"width": 320, "height": 640}

SELECTED = "(s) => [...s.selectedOptions].map((o) => o.text)"


def _pick(page, combobox, query: str, *, downs: int = 1) -> str:
    """Type `query`, go down `downs` options and press Enter; the option's text."""
    combobox.press_sequentially(query)
    expect(combobox).to_have_attribute("aria-expanded", "true")
    for _ in range(downs):
        combobox.press("ArrowDown")
    active = page.locator("#" + combobox.get_attribute("aria-activedescendant"))
    expect(active).to_have_attribute("aria-selected", "false")
    text = active.inner_text().strip()
    combobox.press("Enter")
    expect(active).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_value("")
    return text


def test_topic_picker_by_keyboard_saves_the_chosen_topics(open_as, portal_server):
    page = open_as("sme@demo.example")
    page.goto(portal_server + EDIT)
    select = page.locator("select[name=need_topics]")
    before = select.evaluate(SELECTED)
    assert not [t for t in before if t.startswith(("Cell therapy", "Oncology"))], before
    expect(select).to_be_hidden()  # the native select stays in the form, hidden

    combobox = page.get_by_role("combobox", name="Topics we need")
    expect(combobox).to_have_attribute("aria-controls", "id_need_topics-listbox")
    combobox.focus()
    # German alias, any case, no accents typed: "Zelltherapie" is an alias of Cell
    # therapy (and "CAR-T-Zelltherapie" of CAR-T).
    combobox.press_sequentially("zellthe")
    listbox = page.locator("#id_need_topics-listbox")
    expect(listbox).to_be_visible()
    visible = listbox.locator("[role=option]:visible")
    expect(visible).to_have_count(2)
    assert sorted(t.split(" (")[0] for t in visible.all_inner_texts()) == [
        "CAR-T",
        "Cell therapy",
    ]
    combobox.fill("")
    first = _pick(page, combobox, "zelltherapie", downs=2)
    assert first.startswith("Cell therapy"), first
    status = page.locator(".topic-picker:has(#id_need_topics) [role=status]")
    expect(status).to_have_text("4 topics selected")
    # Accents ignored the other way: "therapie cellulaire" finds "thérapie cellulaire".
    combobox.press_sequentially("therapie cellulaire")
    expect(listbox.locator("[role=option]:visible")).to_have_count(1)
    combobox.press("Escape")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    combobox.press("Escape")
    expect(combobox).to_have_value("")
    second = _pick(page, combobox, "onco")
    assert second.startswith("Oncology"), second
    expect(status).to_have_text("5 topics selected")
    chips = page.locator(".topic-picker:has(#id_need_topics) .topic-chip")
    expect(chips.last).to_have_accessible_name(f"Remove {second}")
    assert_accessible(page, "profile edit, topic picker open")

    # Backspace in the empty field removes the last chip.
    combobox.press("Escape")
    combobox.press("Backspace")
    expect(status).to_have_text("4 topics selected")
    picker = page.locator(".topic-picker:has(#id_need_topics)")
    expect(picker.get_by_role("button", name=f"Remove {second}")).to_have_count(0)
    expect(picker.get_by_role("button", name=f"Remove {first}")).to_be_visible()
    assert select.evaluate(SELECTED) == sorted(
        [*before, first], key=select.evaluate("(s) => [...s.options].map((o) => o.text)").index
    )

    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator("h1")).to_have_text("NeoCell Therapeutics")
    page.goto(portal_server + EDIT)
    saved = page.locator("select[name=need_topics]").evaluate(SELECTED)
    assert sorted(saved) == sorted([*before, first]), saved
    assert second not in saved

    page.set_viewport_size(PHONE)
    page.goto(portal_server + EDIT)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


def test_queue_columns_menu_and_cards_at_320_px(open_as, portal_server):
    page = open_as("manager@demo.example")
    page.goto(portal_server + "/services/queue/")
    headers = page.locator("#requests-caption ~ thead th")
    expect(headers.filter(has_text="Cluster")).to_have_count(1)

    menu = page.get_by_role("button", name="Columns", exact=True)
    menu.focus()
    menu.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, "queue, columns menu open")
    page.get_by_role("checkbox", name="Cluster").uncheck()
    page.get_by_role("checkbox", name="Urgency").uncheck()
    page.get_by_role("button", name="Show these columns").click()
    expect(page.locator(".messages")).to_contain_text("Columns saved.")
    expect(headers.filter(has_text="Cluster")).to_have_count(0)
    expect(headers.filter(has_text="Urgency")).to_have_count(0)
    expect(headers.filter(has_text="Subject")).to_have_count(1)
    page.reload()  # remembered
    expect(headers.filter(has_text="Cluster")).to_have_count(0)

    page.set_viewport_size(PHONE)
    for path in ("/services/queue/", ATTENDEES, "/rooms/manage/bookings/"):
        page.goto(portal_server + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
        row = page.locator("table.table-cards tbody tr").first
        assert row.evaluate("(r) => getComputedStyle(r).display") == "block", path
    # A card's cell is led by its column's name.
    page.goto(portal_server + "/services/queue/")
    label = page.locator("table.table-cards tbody td[data-label]").first.evaluate(
        "(td) => getComputedStyle(td, '::before').content"
    )
    assert label == '"Subject"', label
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(portal_server + ATTENDEES)
    assert_accessible(page, "attendees")
    page.goto(portal_server + "/rooms/manage/bookings/")
    assert_accessible(page, "room bookings")
