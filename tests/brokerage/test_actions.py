from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from events import scheduling
from events.brokerage import actions, planning, selectors
from events.brokerage.actions import schedule_runs
from events.brokerage.models import Meeting, MeetingRequest, ScheduleRun
from portal.base.errors import ActionError
from tests.factories.brokerage import (
    BrokerageEventFactory,
    add_participant,
    agree_meeting,
    enable_brokerage,
)
from tests.factories.clusters import UserFactory
from tests.factories.events import RegistrationFactory

pytestmark = pytest.mark.django_db


def _run(manager, event):
    run = actions.schedule_run_start(actor=manager, event=event)
    return actions.schedule_run_execute(run.pk, time_limit=3)


# --- settings and slots ---------------------------------------------------------


def test_configure_builds_slots_from_sessions(event, manager):
    brokerage = enable_brokerage(
        event, manager, sessions=((60, 130), (240, 300)), meeting_minutes=30
    )
    slots = list(brokerage.slots.order_by("index"))
    # 70 minutes hold two 30-minute slots; 60 minutes hold two.
    assert [s.index for s in slots] == [0, 1, 2, 3]
    assert [(s.start - event.start, s.end - s.start) for s in slots] == [
        (timedelta(minutes=60), timedelta(minutes=30)),
        (timedelta(minutes=90), timedelta(minutes=30)),
        (timedelta(minutes=240), timedelta(minutes=30)),
        (timedelta(minutes=270), timedelta(minutes=30)),
    ]


def test_configure_refused_for_member(event, member):
    with pytest.raises(PermissionDenied):
        enable_brokerage(event, member)


def test_overlapping_sessions_refused(event, manager):
    with pytest.raises(ActionError, match="Sessions must not overlap."):
        enable_brokerage(event, manager, sessions=((60, 180), (120, 240)))


def test_layout_cannot_change_once_scheduled(event, brokerage, alice, bob, manager):
    agree_meeting(alice, bob)
    _run(manager, event)
    with pytest.raises(ActionError, match="sessions and the meeting length can no longer change"):
        enable_brokerage(event, manager, meeting_minutes=15)
    assert brokerage.slots.count() == 12


def test_layout_change_resets_availability_to_every_slot(event, brokerage, alice, manager):
    enable_brokerage(event, manager, meeting_minutes=30)
    assert alice.availability.count() == 8


# --- joining ------------------------------------------------------------------------


def test_only_confirmed_registrants_join(event, brokerage, member):
    with pytest.raises(ActionError, match="Only confirmed registrants"):
        actions.participant_save(actor=member, event=event, offers="x", requests="y")
    RegistrationFactory(event=event, user=member, status="waitlisted")
    with pytest.raises(ActionError, match="Only confirmed registrants"):
        actions.participant_save(actor=member, event=event, offers="x", requests="y")


def test_cannot_drop_a_slot_holding_a_scheduled_meeting(event, brokerage, alice, bob, manager):
    meeting = agree_meeting(alice, bob)
    _run(manager, event)
    meeting.refresh_from_db()
    others = [s for s in brokerage.slots.all() if s.pk != meeting.slot_id]
    with pytest.raises(ActionError, match="You have a meeting at"):
        actions.participant_save(
            actor=alice.user, event=event, offers="a", requests="b", available_slots=others
        )
    assert alice.availability.count() == 12


# --- requests -------------------------------------------------------------------------


def test_duplicate_and_reverse_requests_refused(event, alice, bob):
    actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    with pytest.raises(ActionError, match="already waiting for an answer"):
        actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    with pytest.raises(ActionError, match="already waiting for an answer"):
        actions.meeting_request_create(actor=bob.user, event=event, to_participant=alice)
    assert MeetingRequest.objects.count() == 1


def test_request_when_meeting_exists_refused(event, alice, bob):
    agree_meeting(alice, bob)
    with pytest.raises(ActionError, match="already have a meeting"):
        actions.meeting_request_create(actor=bob.user, event=event, to_participant=alice)


def test_request_after_deadline_refused(event, manager, alice, bob):
    enable_brokerage(event, manager, request_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ActionError, match="deadline for meeting requests has passed"):
        actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)


def test_max_meetings_counts_pending_requests(event, manager, alice, cluster):
    enable_brokerage(event, manager, max_meetings=2)
    others = [add_participant(event, cluster=cluster) for _ in range(3)]
    agree_meeting(alice, others[0])
    actions.meeting_request_create(actor=alice.user, event=event, to_participant=others[1])
    with pytest.raises(ActionError, match="maximum of 2 meetings"):
        actions.meeting_request_create(actor=alice.user, event=event, to_participant=others[2])


def test_accept_refused_when_agenda_full(event, manager, alice, bob, cluster):
    enable_brokerage(event, manager, max_meetings=1)
    carol = add_participant(event, cluster=cluster)
    request = actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    actions.meeting_request_create(actor=carol.user, event=event, to_participant=bob)
    agree_meeting_request = MeetingRequest.objects.get(from_participant=carol)
    actions.meeting_request_accept(actor=bob.user, meeting_request=agree_meeting_request)
    with pytest.raises(ActionError, match="already has the maximum of 1 meetings"):
        actions.meeting_request_accept(actor=bob.user, meeting_request=request)
    request.refresh_from_db()
    assert request.status == "pending"


def test_auto_accept_books_the_meeting_at_once(event, manager, alice, bob):
    enable_brokerage(event, manager, requires_acceptance=False)
    request = actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    request.refresh_from_db()
    assert request.status == "accepted"
    assert Meeting.objects.get().request == request


def test_decline_and_cancel(event, alice, bob, mailoutbox, django_capture_on_commit_callbacks):
    r1 = actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    with django_capture_on_commit_callbacks(execute=True):
        actions.meeting_request_decline(actor=bob.user, meeting_request=r1)
    assert MeetingRequest.objects.get(pk=r1.pk).status == "declined"
    assert [m.to for m in mailoutbox] == [[alice.user.email]]
    r2 = actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    with pytest.raises(PermissionDenied):
        actions.meeting_request_cancel(actor=bob.user, meeting_request=r2)
    actions.meeting_request_cancel(actor=alice.user, meeting_request=r2)
    assert MeetingRequest.objects.get(pk=r2.pk).status == "cancelled"
    assert not Meeting.objects.exists()


def test_pending_requests_expire_once(
    event, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    old = actions.meeting_request_create(actor=alice.user, event=event, to_participant=bob)
    MeetingRequest.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(hours=73))
    fresh = actions.meeting_request_create(
        actor=bob.user, event=event, to_participant=add_participant(event, cluster=event.cluster)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.requests_expire() == 1
        assert actions.requests_expire() == 0
    assert MeetingRequest.objects.get(pk=old.pk).status == "expired"
    assert MeetingRequest.objects.get(pk=fresh.pk).status == "pending"
    assert [m.to for m in mailoutbox] == [[alice.user.email]]
    from events.brokerage.tasks import expire_requests

    assert expire_requests.delay().get() == 0


# --- scheduling -----------------------------------------------------------------------------


def test_run_schedules_and_writes_stats(event, brokerage, alice, bob, manager, cluster):
    carol = add_participant(event, cluster=cluster)
    agree_meeting(alice, bob)
    agree_meeting(alice, carol)
    run = _run(manager, event)
    assert run.status == "done"
    assert (run.stats["meetings"], run.stats["scheduled"], run.stats["idle_gaps"]) == (2, 2, 0)
    problem, output = selectors.schedule_as_output(brokerage)
    assert scheduling.validate(problem, output) == []


def test_second_run_while_active_is_refused(event, brokerage, manager):
    actions.schedule_run_start(actor=manager, event=event)
    with pytest.raises(ActionError, match="already running"):
        actions.schedule_run_start(actor=manager, event=event)


def test_run_executed_twice_does_nothing_the_second_time(event, brokerage, alice, bob, manager):
    agree_meeting(alice, bob)
    run = _run(manager, event)
    finished = run.finished
    again = actions.schedule_run_execute(run.pk, time_limit=3)
    assert (again.status, again.finished) == ("done", finished)


def test_locked_meeting_stays_in_place_on_rerun(event, brokerage, alice, bob, manager, cluster):
    carol = add_participant(event, cluster=cluster)
    m1 = agree_meeting(alice, bob)
    agree_meeting(alice, carol)
    _run(manager, event)
    m1.refresh_from_db()
    # Move it by hand to the last slot and table 7, lock it, re-run.
    last = brokerage.slots.order_by("-index").first()
    Meeting.objects.filter(pk=m1.pk).update(slot=last, table=7)
    m1.refresh_from_db()
    actions.meeting_set_locked(actor=manager, meeting=m1, locked=True)
    _run(manager, event)
    m1.refresh_from_db()
    assert (m1.slot_id, m1.table, m1.locked) == (last.pk, 7, True)
    problem, output = selectors.schedule_as_output(brokerage)
    assert scheduling.validate(problem, output) == []


def test_only_scheduled_meetings_can_be_locked(event, brokerage, alice, bob, manager):
    meeting = agree_meeting(alice, bob)
    with pytest.raises(ActionError, match="Only a scheduled meeting"):
        actions.meeting_set_locked(actor=manager, meeting=meeting, locked=True)


def test_run_with_bad_lock_fails_with_message(event, brokerage, alice, bob, manager):
    meeting = agree_meeting(alice, bob)
    first = brokerage.slots.order_by("index").first()
    Meeting.objects.filter(pk=meeting.pk).update(slot=first, table=1, locked=True)
    alice.availability.remove(first)
    run = _run(manager, event)
    assert run.status == "failed"
    assert "is not available" in run.error


def test_progress_written_during_run(event, brokerage, alice, bob, manager, monkeypatch):
    agree_meeting(alice, bob)
    seen = []
    original = schedule_runs._progress_writer

    def spy(run_id):
        write = original(run_id)

        def wrapped(fraction, **kwargs):
            write(fraction, **kwargs)
            seen.append(ScheduleRun.objects.get(pk=run_id).progress)

        return wrapped

    monkeypatch.setattr(schedule_runs, "_progress_writer", spy)
    run = _run(manager, event)
    # The writer's stages end at "checked"; saving the result makes it 100.
    assert seen[-1] == schedule_runs.CHECKED
    assert run.progress == 100
    assert seen == sorted(seen)


def test_run_leaves_meetings_accepted_meanwhile_unscheduled(
    event, brokerage, alice, bob, manager, cluster, monkeypatch
):
    agree_meeting(alice, bob)
    carol = add_participant(event, cluster=cluster)
    real = scheduling.schedule

    def slow(problem, **kwargs):
        out = real(problem, **kwargs)
        agree_meeting(alice, carol)  # accepted while the solver was busy
        return out

    monkeypatch.setattr(schedule_runs.scheduling, "schedule", slow)
    _run(manager, event)
    late = Meeting.objects.get(Q(a=carol) | Q(b=carol))
    assert late.slot_id is None
    assert "while the scheduler was running" in late.unscheduled_reason


# --- publication and incremental placement --------------------------------------------------


def test_publish_needs_a_schedule(event, brokerage, manager):
    with pytest.raises(ActionError, match="Nothing is scheduled yet"):
        actions.agenda_publish(actor=manager, event=event, status="final")


def test_publish_notifies_every_participant(
    event, brokerage, alice, bob, manager, cluster, mailoutbox, django_capture_on_commit_callbacks
):
    idle = add_participant(event, cluster=cluster)
    agree_meeting(alice, bob)
    _run(manager, event)
    with django_capture_on_commit_callbacks(execute=True):
        actions.agenda_publish(actor=manager, event=event, status="preliminary")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [alice.user.email, bob.user.email, idle.user.email]
    )
    brokerage.refresh_from_db()
    assert brokerage.agenda_status == "preliminary"


def test_late_acceptance_without_common_free_slot_is_listed_with_reason(event, manager, cluster):
    enable_brokerage(event, manager, sessions=((60, 100),))  # two slots
    brokerage = event.brokerage
    s0, s1 = brokerage.slots.order_by("index")
    a = add_participant(event, cluster=cluster)
    b = add_participant(event, cluster=cluster, available=[s0])
    c = add_participant(event, cluster=cluster, available=[s1])
    agree_meeting(a, b)
    agree_meeting(a, c)
    _run(manager, event)
    actions.agenda_publish(actor=manager, event=event, status="final")
    d = add_participant(event, cluster=cluster)
    late = agree_meeting(d, a)
    late.refresh_from_db()
    assert late.slot_id is None
    assert late.unscheduled_reason.startswith("no common free slot for")
    stats = selectors.live_stats(brokerage)
    assert [u["meeting"] for u in stats["unscheduled"]] == [late]


def test_incremental_placement_takes_a_free_table(event, manager, cluster):
    enable_brokerage(event, manager, sessions=((60, 80),), tables=2)  # one slot, two tables
    people = [add_participant(event, cluster=cluster) for _ in range(6)]
    agree_meeting(people[0], people[1])
    _run(manager, event)
    actions.agenda_publish(actor=manager, event=event, status="final")
    second = agree_meeting(people[2], people[3])
    second.refresh_from_db()
    first = Meeting.objects.get(a=people[0])
    assert {first.table, second.table} == {1, 2}
    third = agree_meeting(people[4], people[5])
    third.refresh_from_db()
    assert third.slot_id is None
    assert third.unscheduled_reason == "all tables taken in every slot both are free"


# --- feedback and the dashboard figure ---------------------------------------------------------


def test_feedback_before_the_meeting_refused(event, alice, bob):
    meeting = agree_meeting(alice, bob)
    with pytest.raises(ActionError, match="Feedback opens once the meeting has started"):
        actions.meeting_feedback_save(
            actor=alice.user, meeting=meeting, held=True, usefulness=5, follow_up=True
        )


def test_cooperations_started(cluster, manager):
    now = timezone.now()
    past = BrokerageEventFactory(cluster=cluster)
    enable_brokerage(past, manager)
    people = [add_participant(past, cluster=cluster) for _ in range(4)]
    m1 = agree_meeting(people[0], people[1])
    m2 = agree_meeting(people[2], people[3])
    m3 = agree_meeting(people[0], people[2])
    type(past).objects.filter(pk=past.pk).update(
        start=now - timedelta(days=2), end=now - timedelta(days=2) + timedelta(hours=8)
    )
    for m, held, follow in ((m1, True, True), (m2, True, False), (m3, False, False)):
        actions.meeting_feedback_save(
            actor=m.a.user, meeting=m, held=held, usefulness=3 if held else None, follow_up=follow
        )
    assert selectors.cooperations_started(cluster, now - timedelta(days=7), now) == 1
    assert selectors.cooperations_started(cluster, now - timedelta(days=1), now) == 0
    other = UserFactory()
    assert selectors.calendar_items_for(other) == []


def test_rerun_after_publication_tells_people_whose_meetings_moved(
    event, brokerage, alice, bob, manager, cluster, mailoutbox, django_capture_on_commit_callbacks
):
    carol = add_participant(event, cluster=cluster)
    dave = add_participant(event, cluster=cluster)
    m1 = agree_meeting(alice, bob)
    agree_meeting(carol, dave)
    _run(manager, event)
    actions.agenda_publish(actor=manager, event=event, status="preliminary")
    m1.refresh_from_db()
    last = brokerage.slots.order_by("-index").first()
    Meeting.objects.filter(pk=m1.pk).update(slot=last, table=9)  # as if moved by hand
    actions.meeting_set_locked(actor=manager, meeting=Meeting.objects.get(pk=m1.pk), locked=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run(manager, event)
    m1.refresh_from_db()
    assert (m1.slot_id, m1.table) != (last.pk, 9)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([alice.user.email, bob.user.email])
    assert "has changed" in mailoutbox[0].subject


def test_abandoned_run_does_not_block_schedule_all(event, brokerage, alice, bob, manager):
    agree_meeting(alice, bob)
    stuck = actions.schedule_run_start(actor=manager, event=event)
    ScheduleRun.objects.filter(pk=stuck.pk).update(
        status="running", started=timezone.now() - timedelta(hours=1)
    )
    run = _run(manager, event)
    assert run.status == "done"
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert stuck.error.startswith("abandoned")
    # The stuck worker coming back later changes nothing.
    before = list(Meeting.objects.values_list("pk", "slot_id", "table"))
    loaded = planning.load(brokerage)
    schedule_runs._save_output(stuck, loaded, {"assignments": [], "unscheduled": [], "stats": {}})
    assert list(Meeting.objects.values_list("pk", "slot_id", "table")) == before
    assert ScheduleRun.objects.get(pk=stuck.pk).status == "failed"


def test_fast_incremental_placement_matches_the_full_state(event, manager, cluster):
    """place_meeting loads only the pair and per-slot table counts; it must place
    exactly where the core's place_one would with the whole published schedule."""
    import random

    enable_brokerage(event, manager, sessions=((60, 180),), tables=3, max_meetings=12)
    brokerage = event.brokerage
    slots = list(brokerage.slots.order_by("index"))
    rng = random.Random(7)
    people = [
        add_participant(event, cluster=cluster, available=rng.sample(slots, rng.randint(3, 6)))
        for _ in range(12)
    ]
    pairs = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
    rng.shuffle(pairs)
    for a, b in pairs[:15]:
        agree_meeting(a, b)
    _run(manager, event)
    actions.agenda_publish(actor=manager, event=event, status="final")
    outcomes = set()
    for a, b in pairs[15:40]:
        loaded = planning.load(brokerage, scheduled_only=True, locked="scheduled")
        state = scheduling.ScheduleState.from_schedule(
            loaded.problem, planning.placed_output(loaded)
        )
        keys = loaded.participant_key
        expected = scheduling.place_one(state, {"id": "new", "a": keys[a.pk], "b": keys[b.pk]})
        meeting = agree_meeting(a, b)
        meeting.refresh_from_db()
        if isinstance(expected, str):
            assert (meeting.slot_id, meeting.unscheduled_reason) == (None, expected)
            outcomes.add("reason")
        else:
            assert (meeting.slot.index, meeting.table) == (expected["slot"], expected["table"] + 1)
            outcomes.add("placed")
    assert outcomes == {"placed", "reason"}
    problem, output = selectors.schedule_as_output(brokerage)
    assert scheduling.validate(problem, output) == []
