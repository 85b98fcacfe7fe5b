"""The issue's "Done when", as a test: a manager opens a brokerage event with two
sessions, 40 participants request and accept meetings, "Schedule all" runs and
places every meeting that can be placed, agendas are published and notified,
each agenda is valid with an .ics, and a late acceptance lands in a free slot
without moving anyone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from events import scheduling
from events.brokerage import actions, selectors
from events.brokerage.models import BrokerageSettings, Meeting, MeetingRequest, Participant
from tests.factories.brokerage import BrokerageEventFactory
from tests.factories.clusters import UserFactory
from tests.factories.events import RegistrationFactory


def _local(dt, cluster):
    return dt.astimezone(cluster.tzinfo).strftime("%Y-%m-%dT%H:%M")


def _late_pair(people, brokerage):
    """The first two people who have not asked each other, are under the meeting limit
    and share a slot that still has a free table: where a late meeting can land."""
    busy = {p.pk: set() for p in people}
    load = {}
    for m in Meeting.objects.filter(event=brokerage.event, slot__isnull=False):
        for pk in (m.a_id, m.b_id):
            busy.setdefault(pk, set()).add(m.slot_id)
        load[m.slot_id] = load.get(m.slot_id, 0) + 1
    asked = set(MeetingRequest.objects.values_list("from_participant_id", "to_participant_id"))
    open_slots = {s.pk for s in brokerage.slots.all() if load.get(s.pk, 0) < brokerage.tables}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if (a.pk, b.pk) in asked or (b.pk, a.pk) in asked:
                continue
            if max(len(busy[a.pk]), len(busy[b.pk])) >= brokerage.max_meetings:
                continue
            if open_slots - busy[a.pk] - busy[b.pk]:
                return a, b
    raise AssertionError("no pair can take a late meeting")


@pytest.mark.django_db
def test_done_when_journey(
    client, cluster, manager, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.BROKERAGE_TIME_LIMIT = 5
    event = BrokerageEventFactory(cluster=cluster, slug="bio-partnering", title="Bio partnering")

    # 1. The manager switches meetings on: two sessions of 2 h, 20-minute meetings -> 12 slots.
    client.force_login(manager)
    s1, s2 = event.start + timedelta(hours=1), event.start + timedelta(hours=4)
    response = client.post(
        reverse("brokerage:settings", args=[event.slug]),
        {
            "meeting_minutes": 20,
            "tables": 12,
            "max_meetings": 8,
            "requires_acceptance": "on",
            "pending_expiry_hours": 48,
            "session_1_start": _local(s1, cluster),
            "session_1_end": _local(s1 + timedelta(hours=2), cluster),
            "session_2_start": _local(s2, cluster),
            "session_2_end": _local(s2 + timedelta(hours=2), cluster),
        },
    )
    assert response.status_code == 302
    brokerage = BrokerageSettings.objects.get(event=event)
    assert brokerage.sessions.count() == 2
    assert brokerage.slots.count() == 12

    # 2. Forty registrants create their cooperation profile (one through the page).
    users = [UserFactory(email=f"p{i}@example.org", member_of=cluster) for i in range(40)]
    for user in users:
        RegistrationFactory(event=event, user=user)
    client.force_login(users[0])
    page = client.get(reverse("brokerage:profile", args=[event.slug]))
    assert page.status_code == 200
    slot_ids = [str(pk) for pk in brokerage.slots.values_list("pk", flat=True)]
    response = client.post(
        reverse("brokerage:profile", args=[event.slug]),
        {"offers": "Cell lines", "requests": "Investors", "availability": slot_ids},
    )
    assert response.status_code == 302
    slots = list(brokerage.slots.order_by("index"))
    people = [Participant.objects.get(event=event, user=users[0])]
    for i, user in enumerate(users[1:], start=1):
        # p39 is only free in the first slot and p38 only in the last: they cannot meet.
        available = {39: slots[:1], 38: slots[-1:]}.get(i)
        people.append(
            actions.participant_save(
                actor=user,
                event=event,
                offers=f"Offer {i}",
                requests=f"Need {i}",
                available_slots=available,
            )
        )

    # 3. Requests: everyone asks the next three people; most are accepted, some stay pending.
    for i, p in enumerate(people[:37]):
        for k in (1, 2, 3):
            j = (i + k) % 37
            actions.meeting_request_create(
                actor=p.user, event=event, to_participant=people[j], message="Shall we meet?"
            )
    pairs_pending = 0
    requests = MeetingRequest.objects.filter(event=event).select_related("to_participant__user")
    for n, r in enumerate(requests.order_by("pk")):
        if n % 7 == 0:
            pairs_pending += 1
            continue
        actions.meeting_request_accept(actor=r.to_participant.user, meeting_request=r)
    impossible = actions.meeting_request_create(
        actor=people[39].user, event=event, to_participant=people[38]
    )
    actions.meeting_request_accept(actor=people[38].user, meeting_request=impossible)
    accepted = Meeting.objects.filter(event=event).count()
    assert accepted == 37 * 3 - pairs_pending + 1
    assert not Meeting.objects.filter(event=event, slot__isnull=False).exists()

    # 4. "Schedule all": the run shows its progress, then the statistics.
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("brokerage:schedule_run", args=[event.slug]))
    assert response.status_code == 302
    run = selectors.latest_run(event)
    assert (run.status, run.progress) == ("done", 100)
    assert run.stats["accepted"] == accepted
    assert run.stats["scheduled"] == accepted - 1
    assert run.stats["requested"] == 37 * 3 + 1
    assert [u["meeting"] for u in run.unscheduled] == [str(impossible.meeting.pk)]
    assert "no common available slot" in run.unscheduled[0]["reason"]
    partial = client.get(reverse("brokerage:run_progress", args=[event.slug, run.pk]))
    assert "hx-get" not in partial.content.decode()
    assert "no common available slot" in partial.content.decode()

    problem, output = selectors.schedule_as_output(brokerage)
    assert scheduling.validate(problem, output) == []
    assert output["stats"]["scheduled"] == accepted - 1

    # 5. Publish the final agendas: every participant is told, with an .ics attached.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("brokerage:publish", args=[event.slug]), {"status": "final", "confirm": "yes"}
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)
    assert all(m.attachments[0][0] == "agenda.ics" for m in mailoutbox)

    # 6. Each participant's agenda is valid: no clash, tables in range, .ics parses.
    for p in people:
        client.force_login(p.user)
        assert client.get(reverse("brokerage:agenda", args=[event.slug])).status_code == 200
        response = client.get(reverse("brokerage:agenda_ics", args=[event.slug]))
        assert response.status_code == 200
        cal = Calendar.from_ical(response.content)
        vevents = [c for c in cal.walk("VEVENT")]
        mine = [m for m in selectors.agenda_of(p) if m.slot_id]
        assert len(vevents) == len(mine)
        assert len({m.slot_id for m in mine}) == len(mine)
        assert all(1 <= m.table <= brokerage.tables for m in mine)
        starts = sorted(v.decoded("dtstart") for v in vevents)
        assert starts == sorted(m.slot.start for m in mine)
        assert len(selectors.calendar_items_for(p.user)) == len(mine)

    # 7. A late acceptance lands in a free slot of both, moving nobody.
    before = dict(Meeting.objects.filter(event=event).values_list("pk", "slot_id"))
    tables_before = dict(Meeting.objects.filter(event=event).values_list("pk", "table"))
    a, b = _late_pair(people[:38], brokerage)
    request = actions.meeting_request_create(actor=a.user, event=event, to_participant=b)
    mailoutbox.clear()
    client.force_login(b.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("brokerage:request_decide", args=[request.pk, "accept"]))
    assert response.status_code == 302
    late = Meeting.objects.get(request=request)
    assert late.slot_id is not None and late.table is not None
    busy = set(
        Meeting.objects.filter(event=event)
        .exclude(pk=late.pk)
        .filter(a__in=[a, b])
        .values_list("slot_id", flat=True)
    ) | set(
        Meeting.objects.filter(event=event)
        .exclude(pk=late.pk)
        .filter(b__in=[a, b])
        .values_list("slot_id", flat=True)
    )
    assert late.slot_id not in busy
    assert not Meeting.objects.filter(slot=late.slot, table=late.table).exclude(pk=late.pk).exists()
    after = dict(
        Meeting.objects.filter(event=event).exclude(pk=late.pk).values_list("pk", "slot_id")
    )
    assert after == before
    assert dict(Meeting.objects.exclude(pk=late.pk).values_list("pk", "table")) == tables_before
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.user.email, b.user.email])
    problem, output = selectors.schedule_as_output(brokerage)
    assert scheduling.validate(problem, output) == []
