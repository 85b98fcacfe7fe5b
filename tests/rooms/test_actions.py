from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from portal.base.errors import ActionError
from portal.base.models import Notification
from services.rooms.actions import bookings as actions
from services.rooms.actions.approvals import (
    booking_approve,
    booking_reject,
    bookings_expire_pending,
)
from services.rooms.actions.bookings import BookingRefused, booking_create
from services.rooms.actions.cancellation import booking_cancel, booking_series_cancel
from services.rooms.actions.series import booking_series_create, booking_series_preview
from services.rooms.models import Booking
from tests.factories import ClusterFactory, UserFactory
from tests.factories.rooms import BookingFactory, ClosedDateFactory, RoomFactory
from tests.rooms.conftest import local_dt, next_weekday


def book(actor, room, day, start_hour, end_hour, **kw):
    return booking_create(
        actor=actor,
        room=room,
        start=local_dt(room, day, start_hour),
        end=local_dt(room, day, end_hour),
        title=kw.pop("title", "Kick-off"),
        attendees=kw.pop("attendees", 4),
        **kw,
    )


def test_member_books_a_free_room(member, room, tuesday):
    booking = book(member, room, tuesday, 14, 16)
    assert (booking.status, booking.organisation_id, booking.person_id) == (
        "confirmed",
        member.organisation_id,
        member.pk,
    )
    assert booking.start == local_dt(room, tuesday, 14)


def test_refused_booking_lists_every_problem_and_saves_nothing(member, room, tuesday):
    with pytest.raises(BookingRefused) as exc:
        book(member, room, tuesday, 18, 20, attendees=12)
    assert [(p.field, p.message) for p in exc.value.problems] == [
        ("start", "Outside opening hours: on Tuesday the room is open 08:00-19:00."),
        ("attendees", "This room holds at most 10 people."),
    ]
    assert Booking.objects.count() == 0


def test_closed_date_refused(member, room, tuesday):
    ClosedDateFactory(room=room, date=tuesday, reason="Maintenance")
    with pytest.raises(BookingRefused) as exc:
        book(member, room, tuesday, 10, 11)
    assert exc.value.field == "date"
    assert "closed on" in exc.value.message and "(Maintenance)" in exc.value.message


def test_clash_names_the_booking_for_its_organisation_and_managers_only(
    member, other_member, manager, room, tuesday
):
    book(member, room, tuesday, 14, 16, title="Board meeting")
    with pytest.raises(BookingRefused) as exc:
        book(other_member, room, tuesday, 15, 17)
    assert exc.value.message.startswith("This time is already taken (14:00-16:00 on ")
    assert "Board meeting" not in exc.value.message
    with pytest.raises(BookingRefused) as exc:
        book(manager, room, tuesday, 15, 17)
    assert exc.value.message.startswith("Clashes with 'Board meeting' 14:00-16:00 on ")
    assert Booking.objects.count() == 1


def test_race_lost_under_the_lock_says_just_taken(member, other_member, room, tuesday, monkeypatch):
    real = actions.busy_for
    calls = []

    def first_look_sees_nothing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            # Another request books between our first look and our lock.
            BookingFactory(
                room=room,
                person=other_member,
                start=local_dt(room, tuesday, 14),
                end=local_dt(room, tuesday, 16),
            )
            return []
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "busy_for", first_look_sees_nothing)
    with pytest.raises(ActionError) as exc:
        book(member, room, tuesday, 14, 15)
    assert (exc.value.message, exc.value.field) == ("This time was just taken.", "start")
    assert list(Booking.objects.values_list("person_id", flat=True)) == [other_member.pk]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="the exclusion constraint is PostgreSQL-only")
def test_exclusion_constraint_answers_just_taken(member, other_member, room, tuesday, monkeypatch):
    BookingFactory(
        room=room,
        person=other_member,
        start=local_dt(room, tuesday, 14),
        end=local_dt(room, tuesday, 16),
    )
    monkeypatch.setattr(actions, "busy_for", lambda *a, **k: [])  # the app check sees nothing
    with pytest.raises(ActionError) as exc:
        book(member, room, tuesday, 15, 17)
    assert exc.value.message == "This time was just taken."
    assert Booking.objects.count() == 1
    # Cancelled bookings do not hold their time.
    Booking.objects.update(status="cancelled")
    assert book(member, room, tuesday, 15, 17).status == "confirmed"
    assert connection.vendor == "postgresql"


def test_member_of_another_cluster_may_not_book_a_cluster_room(room, tuesday):
    outsider = UserFactory(member_of=ClusterFactory())
    with pytest.raises(PermissionDenied):
        book(outsider, room, tuesday, 10, 11)
    room.who_may_book = "network"
    room.save()
    assert book(outsider, room, tuesday, 10, 11).status == "confirmed"


def test_inactive_room_cannot_be_booked(member, room, tuesday):
    room.is_active = False
    room.save()
    with pytest.raises(PermissionDenied):
        book(member, room, tuesday, 10, 11)


def test_approval_room_holds_time_and_tells_managers(
    member, other_member, manager, cluster, tuesday, mailoutbox, django_capture_on_commit_callbacks
):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(member, room, tuesday, 14, 16)
    assert booking.status == "pending"
    assert [m.to for m in mailoutbox] == [[manager.email]]
    assert "waits for your approval" in mailoutbox[0].subject
    with pytest.raises(BookingRefused):
        book(other_member, room, tuesday, 15, 16)


def test_manager_booking_for_an_event_skips_approval(manager, cluster, tuesday):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    booking = book(manager, room, tuesday, 9, 12, skip_approval=True, title="Networking day")
    assert (booking.status, booking.organisation_id) == ("confirmed", None)


@time_machine.travel(datetime(2027, 12, 30, 10, 0, tzinfo=UTC), tick=False)
def test_approval_needs_48_hours_notice(member, cluster):
    # Thursday 10:00 UTC; Friday 17:00 is 31 hours away (with a weekend next, a "tomorrow
    # or the next weekday" taken from the real clock could lie days ahead).
    room = RoomFactory(cluster=cluster, needs_approval=True)
    soon = date(2027, 12, 31)
    with pytest.raises(BookingRefused) as exc:
        book(member, room, soon, 17, 18)
    assert "book at least 48 hours ahead" in exc.value.message


def test_approve_tells_the_member_with_calendar_file(
    member, manager, cluster, tuesday, mailoutbox, django_capture_on_commit_callbacks
):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    booking = book(member, room, tuesday, 14, 16)
    with django_capture_on_commit_callbacks(execute=True):
        booking_approve(actor=manager, booking=booking)
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by_id) == ("confirmed", manager.pk)
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert mailoutbox[0].subject.endswith("is confirmed")
    assert mailoutbox[0].attachments[0][0] == "booking.ics"
    with pytest.raises(ActionError):
        booking_approve(actor=manager, booking=booking)


def test_reject_needs_a_reason_and_frees_the_time(
    member, other_member, manager, cluster, tuesday, mailoutbox, django_capture_on_commit_callbacks
):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    booking = book(member, room, tuesday, 14, 16)
    with pytest.raises(ActionError) as exc:
        booking_reject(actor=manager, booking=booking, reason=" ")
    assert exc.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        booking_reject(actor=manager, booking=booking, reason="The room is being painted")
    booking.refresh_from_db()
    assert (booking.status, booking.reason) == ("rejected", "The room is being painted")
    assert "The room is being painted" in mailoutbox[0].body
    assert book(other_member, room, tuesday, 14, 16).status == "pending"


def test_member_cannot_decide(member, cluster, tuesday):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    booking = book(member, room, tuesday, 14, 16)
    with pytest.raises(PermissionDenied):
        booking_approve(actor=member, booking=booking)


def test_expiry_frees_undecided_bookings_48_hours_before(
    member, cluster, mailoutbox, django_capture_on_commit_callbacks
):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    day = next_weekday(2)
    booking = book(member, room, day, 10, 11)
    later = book(member, room, day + timedelta(days=7), 10, 11)
    now = local_dt(room, day, 10) - timedelta(hours=47)
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings_expire_pending(now=now) == 1
        assert bookings_expire_pending(now=now) == 0
    booking.refresh_from_db()
    later.refresh_from_db()
    assert (booking.status, later.status) == ("expired", "pending")
    assert [m.subject for m in mailoutbox] == [f"Your booking request for {room.name} expired"]


def test_expire_task_is_registered_in_beat():
    assert settings.CELERY_BEAT_SCHEDULE["rooms.expire_pending_bookings"] == {
        "task": "rooms.expire_pending_bookings",
        "schedule": 900.0,
    }


def series_args(room, day, **kw):
    return dict(
        first_day=day,
        start_time=local_dt(room, day, 14).timetz().replace(tzinfo=None),
        end_time=local_dt(room, day, 16).timetz().replace(tzinfo=None),
        frequency="weekly",
        count=6,
        until=None,
        **kw,
    )


def test_series_preview_and_booking_of_the_free_dates(member, other_member, room, tuesday):
    clash_day = tuesday + timedelta(days=14)
    BookingFactory(
        room=room,
        person=other_member,
        start=local_dt(room, clash_day, 15),
        end=local_dt(room, clash_day, 17),
    )
    checks = booking_series_preview(
        actor=member, room=room, attendees=8, **series_args(room, tuesday)
    )
    assert [c.free for c in checks] == [True, True, False, True, True, True]
    assert checks[2].problems[0].message.startswith("This time is already taken (15:00-17:00")
    series, booked, skipped = booking_series_create(
        actor=member, room=room, title="Weekly sync", attendees=8, **series_args(room, tuesday)
    )
    assert len(booked) == 5 and [s.start for s in skipped] == [local_dt(room, clash_day, 14)]
    assert set(Booking.objects.filter(series=series).values_list("status", flat=True)) == {
        "confirmed"
    }


def test_series_with_nothing_free_books_nothing(member, room):
    saturday = next_weekday(5)
    with pytest.raises(ActionError) as exc:
        booking_series_create(
            actor=member, room=room, title="Weekend", attendees=2, **series_args(room, saturday)
        )
    assert exc.value.message == "None of these dates is free: nothing was booked."
    assert Booking.objects.count() == 0


def test_series_cancel_from_a_date(
    member, manager, room, tuesday, mailoutbox, django_capture_on_commit_callbacks
):
    series, booked, _ = booking_series_create(
        actor=member, room=room, title="Weekly sync", attendees=8, **series_args(room, tuesday)
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = booking_series_cancel(
            actor=member, series=series, from_date=tuesday + timedelta(days=21)
        )
    assert [b.pk for b in cancelled] == [b.pk for b in booked[3:]]
    assert (
        list(
            Booking.objects.filter(series=series).order_by("start").values_list("status", flat=True)
        )
        == ["confirmed"] * 3 + ["cancelled"] * 3
    )
    assert [m.to for m in mailoutbox] == [[manager.email]]


def test_member_cancels_up_to_the_start(member, room, tuesday):
    booking = book(member, room, tuesday, 14, 16)
    cancelled = booking_cancel(actor=member, booking=booking)
    assert cancelled.status == "cancelled"
    started = BookingFactory(
        room=room,
        person=member,
        start=timezone.now() - timedelta(minutes=5),
        end=timezone.now() + timedelta(minutes=55),
    )
    with pytest.raises(ActionError) as exc:
        booking_cancel(actor=member, booking=started)
    assert exc.value.message == "A booking can only be cancelled before it starts."


def test_manager_cancels_with_a_reason_and_member_is_told(
    member, manager, room, tuesday, mailoutbox, django_capture_on_commit_callbacks
):
    booking = book(member, room, tuesday, 14, 16)
    with pytest.raises(ActionError) as exc:
        booking_cancel(actor=manager, booking=booking, reason="")
    assert exc.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(actor=manager, booking=booking, reason="Fire drill")
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "Fire drill" in mailoutbox[0].body
    assert Notification.objects.filter(recipient=member).count() == 1


def test_other_organisation_cannot_cancel(member, other_member, room, tuesday):
    booking = book(member, room, tuesday, 14, 16)
    with pytest.raises(PermissionDenied):
        booking_cancel(actor=other_member, booking=booking)


def test_manager_books_an_event_beyond_the_members_advance_window(manager, room):
    far = next_weekday(2, weeks_ahead=30)  # about 210 days; members may book 90 ahead
    booking = book(manager, room, far, 9, 17, title="Annual meeting", for_event=None)
    assert booking.status == "confirmed"


def test_member_is_held_to_the_advance_window(member, room):
    far = next_weekday(2, weeks_ahead=30)
    with pytest.raises(BookingRefused) as exc:
        book(member, room, far, 9, 10)
    assert exc.value.problems[0].code == "too_far"
