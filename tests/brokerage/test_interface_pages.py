"""The participant-facing pages of issue 17: the availability day grid on the
cooperation profile and the agenda timeline."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from events.brokerage import actions
from events.brokerage.enums import AgendaStatus
from events.brokerage.models import Slot
from tests.factories.brokerage import (
    BrokerageEventFactory,
    add_participant,
    agree_meeting,
    enable_brokerage,
)

pytestmark = pytest.mark.django_db


def _schedule(manager, event):
    actions.schedule_run_execute(actions.schedule_run_start(actor=manager, event=event).pk)


def test_profile_groups_slots_by_day_labelled_by_time(
    client, event, brokerage, alice, bob, manager
):
    meeting = agree_meeting(alice, bob)
    _schedule(manager, event)
    meeting.refresh_from_db()
    client.force_login(alice.user)
    response = client.get(reverse("brokerage:profile", args=[event.slug]))
    days = response.context["form"]["availability"].field.widget.get_context(
        "availability", [s.pk for s in brokerage.slots.all()], {"id": "id_availability"}
    )["widget"]["days"]
    slots = list(brokerage.slots.order_by("index"))
    assert len(days) == 1
    assert [o["value"].instance for o in days[0]["options"]] == slots
    busy = [o["value"].instance.pk for o in days[0]["options"] if o["busy"]]
    assert busy == [meeting.slot_id]
    html = response.content.decode()
    assert html.count('<fieldset class="day-grid-day"') == 1
    assert f"<legend>{days[0]['label']}</legend>" in html
    assert html.count('type="checkbox" name="availability"') == len(slots)
    assert html.count(" data-busy>") == 1
    assert '<span class="slot-cell-note">meeting</span>' in html
    assert 'src="/static/js/daygrid.js"' in html


def test_agenda_before_publication_lists_meetings_without_times(
    client, event, brokerage, alice, bob, manager
):
    agree_meeting(alice, bob)
    _schedule(manager, event)
    client.force_login(alice.user)
    response = client.get(reverse("brokerage:agenda", args=[event.slug]))
    assert response.context["timeline"] == []
    assert [m.partner for m in response.context["unplaced"]] == [bob]
    html = response.content.decode()
    assert "Agreed meetings (times and tables follow when the agendas are published)" in html
    assert "scheduled, not published" in html
    # The manager sees the times of anyone's agenda at once.
    client.force_login(manager)
    url = reverse("brokerage:participant_agenda", args=[event.slug, alice.pk])
    assert len(client.get(url).context["timeline"]) == 1


def test_agenda_timeline_after_publication(client, event, brokerage, alice, bob, manager):
    meeting = agree_meeting(alice, bob)
    _schedule(manager, event)
    actions.agenda_publish(actor=manager, event=event, status=AgendaStatus.PRELIMINARY)
    meeting.refresh_from_db()
    client.force_login(alice.user)
    response = client.get(reverse("brokerage:agenda", args=[event.slug]))
    assert response.context["unplaced"] == []
    (day,) = response.context["timeline"]
    rows = [(r.kind, r.slots) for r in day.rows]
    slots = brokerage.slots.count()
    assert sum(n for _kind, n in rows) == slots
    assert [r.meeting for r in day.rows if r.kind == "meeting"] == [meeting]
    html = response.content.decode()
    assert f"Table {meeting.table}" in html
    assert bob.user.display_name in html
    assert "Free · " in html
    assert "Now" not in html and ">Today<" not in html


def test_agenda_marks_today_and_the_running_meeting(client, event, brokerage, alice, bob, manager):
    meeting = agree_meeting(alice, bob)
    _schedule(manager, event)
    actions.agenda_publish(actor=manager, event=event, status=AgendaStatus.PRELIMINARY)
    slot = Slot.objects.get(meetings=meeting)
    client.force_login(alice.user)
    with time_machine.travel(slot.start + timedelta(minutes=5), tick=False):
        html = client.get(reverse("brokerage:agenda", args=[event.slug])).content.decode()
    assert '<span class="badge badge-accent">Today</span>' in html
    assert '<span aria-hidden="true">▶</span> Now</span>' in html
    assert 'class="timeline-meeting is-now"' in html


def test_profile_has_one_fieldset_per_event_day(client, cluster, manager, member):
    event = BrokerageEventFactory(cluster=cluster)
    event.end = event.start + timedelta(days=1, hours=8)
    event.save(update_fields=["end"])
    enable_brokerage(event, manager, sessions=((60, 100), (24 * 60 + 60, 24 * 60 + 120)))
    add_participant(event, member)
    client.force_login(member)
    html = client.get(reverse("brokerage:profile", args=[event.slug])).content.decode()
    legends = re.findall(
        r'<fieldset class="day-grid-day" id="[^"]+" data-day>\s*<legend>([^<]+)</legend>', html
    )
    assert len(legends) == 2 and legends[0] != legends[1]
    # 2 slots the first day, 3 the second, each labelled by its time alone.
    assert [
        len(re.findall(r'class="slot-cell-time"', part))
        for part in html.split('<fieldset class="day-grid-day"')[1:]
    ] == [2, 3]
