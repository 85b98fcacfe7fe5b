"""The manager's schedule grid marks locked meetings and meetings new (scheduled or
moved) since the agendas were last published, each with a word, a symbol and a
tint, and a key with the counts."""

import pytest
from django.urls import reverse

from events.brokerage import actions, selectors
from events.brokerage.enums import AgendaStatus
from events.brokerage.models import BrokerageSettings, Meeting
from tests.factories.brokerage import add_participant, agree_meeting

pytestmark = pytest.mark.django_db


def _schedule(manager, event):
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)


def _marks(event):
    brokerage = BrokerageSettings.objects.get(event=event)
    rows = selectors.grid(brokerage)
    cells = {m.pk: (m.locked, m.is_new) for row in rows for m in row["cells"] if m}
    return cells, selectors.grid_marks(rows)


def _move_table(meeting):
    meeting.refresh_from_db()
    Meeting.objects.filter(pk=meeting.pk).update(table=10 if meeting.table != 10 else 9)


@pytest.fixture
def scheduled(event, brokerage, alice, bob, manager, cluster):
    carol = add_participant(event, cluster=cluster)
    first, second = agree_meeting(alice, bob), agree_meeting(alice, carol)
    _schedule(manager, event)
    return first, second, carol


def test_nothing_is_new_before_the_first_publication(event, manager, scheduled):
    first, second, _ = scheduled
    actions.meeting_set_locked(actor=manager, meeting=first, locked=True)
    cells, marks = _marks(event)
    assert cells == {first.pk: (True, False), second.pk: (False, False)}
    assert marks == {"locked": 1, "new": 0}


def test_publication_records_places_and_later_meetings_are_new(
    event, manager, alice, cluster, scheduled
):
    first, second, carol = scheduled
    actions.agenda_publish(actor=manager, event=event, status=AgendaStatus.PRELIMINARY)
    first.refresh_from_db()
    assert (first.published_slot_id, first.published_table) == (first.slot_id, first.table)
    assert _marks(event) == (
        {first.pk: (False, False), second.pk: (False, False)},
        {
            "locked": 0,
            "new": 0,
        },
    )
    # Accepted after publication: placed at once, so new.
    dave = add_participant(event, cluster=cluster)
    third = agree_meeting(dave, alice)
    assert third.slot_id is not None
    # Moved by hand to another (free) table of its slot: new as well.
    _move_table(second)
    cells, marks = _marks(event)
    assert cells == {first.pk: (False, False), second.pk: (False, True), third.pk: (False, True)}
    assert marks == {"locked": 0, "new": 2}
    # Publishing again makes the current places the reference: nothing is new.
    actions.agenda_publish(actor=manager, event=event, status=AgendaStatus.FINAL)
    assert _marks(event)[1] == {"locked": 0, "new": 0}


def test_grid_page_shows_markers_in_words_and_the_key(client, event, manager, scheduled):
    first, second, _ = scheduled
    actions.meeting_set_locked(actor=manager, meeting=first, locked=True)
    actions.agenda_publish(actor=manager, event=event, status=AgendaStatus.PRELIMINARY)
    _move_table(second)
    client.force_login(manager)
    html = client.get(reverse("brokerage:grid", args=[event.slug])).content.decode()
    locked = (
        '<span class="grid-mark grid-mark-locked"><span aria-hidden="true">◆</span> Locked</span>'
    )
    new = '<span class="grid-mark grid-mark-new"><span aria-hidden="true">★</span> New</span>'
    # Once in the key and once in the cell of each marked meeting.
    assert html.count(locked) == 2
    assert html.count(new) == 2
    assert "kept in its slot and table by a new run (1 meeting)" in html
    assert "scheduled or moved since the agendas were published" in html
    assert html.count('class="grid-meeting grid-meeting-locked"') == 1
    assert html.count('class="grid-meeting grid-meeting-new"') == 1


def test_grid_page_before_publication_explains_new_without_marking(
    client, event, manager, scheduled
):
    client.force_login(manager)
    html = client.get(reverse("brokerage:grid", args=[event.slug])).content.decode()
    assert "grid-mark-new" not in html
    assert "Once the agendas are published, meetings scheduled or moved after that" in html
