from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events import actions
from events.enums import EventStatus, RegistrationStatus
from events.models import Event, Registration, ReminderDelivery
from events.selectors import waitlist_position
from portal.base.errors import ActionError
from portal.base.models import Notification
from tests.factories.clusters import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory


def _start(days=10):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def _fields(**over):
    start = over.pop("start", _start())
    data = dict(
        title="Cell therapy breakfast",
        kind="networking",
        format="in_person",
        start=start,
        end=start + timedelta(hours=2),
        address="Genopole campus, Évry",
        online_link="",
        capacity=20,
        online_capacity=0,
        registration_opens=None,
        registration_closes=None,
        waitlist_enabled=True,
        audience="cluster",
        description="Meet the cell therapy people.",
        reminder_offsets=[1440, 60],
    )
    data.update(over)
    return data


def test_event_create_by_manager_is_a_draft_with_slug(manager, cluster):
    event = actions.event_create(actor=manager, cluster=cluster, **_fields())
    assert event.status == EventStatus.DRAFT
    assert event.slug == f"cell-therapy-breakfast-{event.start.astimezone(cluster.tzinfo):%Y-%m-%d}"
    assert event.created_by == manager
    assert event.reminder_offsets == [1440, 60]


def test_event_create_refused_for_member(member, cluster):
    with pytest.raises(PermissionDenied):
        actions.event_create(actor=member, cluster=cluster, **_fields())
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"end": _start() - timedelta(hours=1)}, "end"),
        ({"capacity": 0}, "capacity"),
        ({"address": ""}, "address"),
        ({"format": "hybrid", "online_capacity": 0}, "online_capacity"),
        ({"reminder_offsets": [0]}, "reminder_offsets"),
        ({"registration_closes": _start() + timedelta(days=1)}, "registration_closes"),
    ],
)
def test_event_create_bad_input_saves_nothing(manager, cluster, over, field):
    with pytest.raises(ActionError) as exc:
        actions.event_create(actor=manager, cluster=cluster, **_fields(**over))
    assert exc.value.field == field
    assert Event.objects.count() == 0


def test_online_event_keeps_only_online_seats(manager, cluster):
    event = actions.event_create(
        actor=manager,
        cluster=cluster,
        **_fields(
            format="online", capacity=50, online_capacity=100, online_link="https://meet.example/x"
        ),
    )
    assert (event.capacity, event.online_capacity, event.address) == (0, 100, "")
    assert event.seat_types() == ["online"]


def test_publish_and_cancel_only_by_manager(manager, member, cluster):
    event = EventFactory(cluster=cluster, status=EventStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        actions.event_publish(actor=member, event=event)
    actions.event_publish(actor=manager, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    with pytest.raises(PermissionDenied):
        actions.event_cancel(actor=member, event=event)


def test_register_confirmed_then_waitlisted_with_positions(event, make_members):
    event.capacity = 2
    event.save()
    people = make_members(5)
    regs = [actions.registration_create(actor=p, event=event) for p in people]
    assert [r.status for r in regs] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [waitlist_position(r) for r in regs] == [None, None, 1, 2, 3]


def test_register_full_without_waitlist_is_refused(event, make_members):
    event.capacity = 1
    event.waitlist_enabled = False
    event.save()
    a, b = make_members(2)
    actions.registration_create(actor=a, event=event)
    with pytest.raises(ActionError) as exc:
        actions.registration_create(actor=b, event=event)
    assert exc.value.message == "Sorry, this event is full and has no waitlist."
    assert Registration.objects.filter(user=b).count() == 0


def test_register_twice_is_refused(event, member):
    actions.registration_create(actor=member, event=event)
    with pytest.raises(ActionError) as exc:
        actions.registration_create(actor=member, event=event)
    assert exc.value.message == "You are already registered for this event."
    assert Registration.objects.count() == 1


def test_register_again_after_cancelling(event, member):
    reg = actions.registration_create(actor=member, event=event)
    actions.registration_cancel(actor=member, registration=reg)
    again = actions.registration_create(actor=member, event=event)
    assert again.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.filter(user=member).count() == 2


def test_register_outside_audience_denied(event, outsider):
    with pytest.raises(PermissionDenied):
        actions.registration_create(actor=outsider, event=event)


def test_network_event_open_to_other_cluster_member(event, outsider):
    event.audience = "network"
    event.save()
    reg = actions.registration_create(actor=outsider, event=event)
    assert reg.status == RegistrationStatus.CONFIRMED


def test_public_event_open_to_verified_account_without_organisation(event):
    event.audience = "public"
    event.save()
    newcomer = UserFactory(email="newcomer@example.org")
    assert actions.registration_create(actor=newcomer, event=event).is_confirmed
    unverified = UserFactory(email="unverified@example.org", verified=False)
    with pytest.raises(PermissionDenied):
        actions.registration_create(actor=unverified, event=event)


def test_register_refused_outside_window_draft_and_cancelled(event, member):
    event.registration_opens = timezone.now() + timedelta(days=1)
    event.save()
    with pytest.raises(ActionError, match="not open yet"):
        actions.registration_create(actor=member, event=event)
    event.registration_opens = None
    event.registration_closes = timezone.now() - timedelta(minutes=1)
    event.save()
    with pytest.raises(ActionError, match="closed"):
        actions.registration_create(actor=member, event=event)
    event.status = EventStatus.CANCELLED
    event.save()
    with pytest.raises(ActionError, match="cancelled"):
        actions.registration_create(actor=member, event=event)
    assert Registration.objects.count() == 0


def test_hybrid_seat_types_are_counted_apart(event, make_members):
    event.format = "hybrid"
    event.capacity = 1
    event.online_capacity = 1
    event.save()
    a, b, c = make_members(3)
    assert actions.registration_create(actor=a, event=event, seat_type="in_person").is_confirmed
    assert actions.registration_create(actor=b, event=event, seat_type="online").is_confirmed
    assert (
        actions.registration_create(actor=c, event=event, seat_type="online").status == "waitlisted"
    )


def test_in_person_event_refuses_online_seat(event, member):
    with pytest.raises(ActionError) as exc:
        actions.registration_create(actor=member, event=event, seat_type="online")
    assert exc.value.field == "seat_type"


def test_cancel_promotes_first_waitlisted_of_same_seat_type_and_tells_them(
    event, make_members, mailoutbox, django_capture_on_commit_callbacks
):
    event.format = "hybrid"
    event.capacity = 1
    event.online_capacity = 1
    event.online_link = "https://meet.example/room"
    event.save()
    a, b, c, d = make_members(4)
    ra = actions.registration_create(actor=a, event=event, seat_type="in_person")
    actions.registration_create(actor=b, event=event, seat_type="online")
    rc = actions.registration_create(actor=c, event=event, seat_type="online")  # waits online
    rd = actions.registration_create(actor=d, event=event, seat_type="in_person")  # waits in person
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.registration_cancel(actor=a, registration=ra)
    rc.refresh_from_db()
    rd.refresh_from_db()
    assert rc.status == "waitlisted"
    assert rd.status == "confirmed" and rd.promoted_at is not None
    assert [m.to for m in mailoutbox] == [[d.email]]
    assert "A seat freed up" in mailoutbox[0].subject
    assert (
        Notification.objects.filter(recipient=d, subject__startswith="A seat freed up").count() == 1
    )
    cal = icalendar.Calendar.from_ical(mailoutbox[0].attachments[0][1])
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == event.title
    # In-person seat: the link is in the .ics only because the registration is confirmed.
    assert "https://meet.example/room" in str(vevent["DESCRIPTION"])


def test_cancel_waitlisted_promotes_nobody(event, make_members):
    event.capacity = 1
    event.save()
    a, b, c = make_members(3)
    actions.registration_create(actor=a, event=event)
    rb = actions.registration_create(actor=b, event=event)
    rc = actions.registration_create(actor=c, event=event)
    actions.registration_cancel(actor=b, registration=rb)
    rc.refresh_from_db()
    assert rc.status == "waitlisted"
    assert waitlist_position(rc) == 1


def test_cancel_someone_elses_registration_denied(event, member, other_member):
    reg = actions.registration_create(actor=member, event=event)
    with pytest.raises(PermissionDenied):
        actions.registration_cancel(actor=other_member, registration=reg)


def test_capacity_raise_promotes_waitlist(event, manager, make_members):
    event.capacity = 1
    event.save()
    regs = [actions.registration_create(actor=p, event=event) for p in make_members(4)]
    actions.event_update(actor=manager, event=event, capacity=3)
    statuses = list(
        Registration.objects.filter(pk__in=[r.pk for r in regs])
        .order_by("id")
        .values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_time_change_notifies_active_registrants_with_new_sequence(
    event, manager, make_members, mailoutbox, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    a, b = make_members(2)
    actions.registration_create(actor=a, event=event)
    actions.registration_create(actor=b, event=event)
    mailoutbox.clear()
    new_start = event.start + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        actions.event_update(
            actor=manager, event=event, start=new_start, end=new_start + timedelta(hours=3)
        )
    event.refresh_from_db()
    assert event.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.email, b.email])
    for m in mailoutbox:
        assert m.subject.startswith("Changed:")
        vevent = icalendar.Calendar.from_ical(m.attachments[0][1]).walk("VEVENT")[0]
        assert int(vevent["SEQUENCE"]) == 1
        assert vevent.decoded("DTSTART") == new_start


def test_title_change_does_not_notify(
    event, manager, member, mailoutbox, django_capture_on_commit_callbacks
):
    actions.registration_create(actor=member, event=event)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.event_update(actor=manager, event=event, title="New title")
    event.refresh_from_db()
    assert (event.title, event.sequence, len(mailoutbox)) == ("New title", 0, 0)


def test_event_cancel_notifies_and_stops_reminders(
    event, manager, member, mailoutbox, django_capture_on_commit_callbacks
):
    reg = actions.registration_create(actor=member, event=event)
    ReminderDelivery.objects.create(
        registration=reg,
        offset_minutes=60,
        status="claimed",
        claim_token="x",
        claimed_at=timezone.now(),
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.event_cancel(actor=manager, event=event, reason="The speaker is ill.")
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "The speaker is ill." in mailoutbox[0].body
    assert icalendar.Calendar.from_ical(mailoutbox[0].attachments[0][1])["METHOD"] == "CANCEL"
    assert ReminderDelivery.objects.get().status == "skipped"


def test_set_attended_only_confirmed(event, manager, make_members):
    event.capacity = 1
    event.save()
    a, b = make_members(2)
    ra = actions.registration_create(actor=a, event=event)
    rb = actions.registration_create(actor=b, event=event)
    assert actions.registration_set_attended(
        actor=manager, registration=ra, attended=True
    ).attended_at
    with pytest.raises(ActionError):
        actions.registration_set_attended(actor=manager, registration=rb, attended=True)
    with pytest.raises(PermissionDenied):
        actions.registration_set_attended(actor=b, registration=ra, attended=False)


def test_registration_factory_makes_confirmed(db):
    assert RegistrationFactory().status == "confirmed"


def test_waitlist_position_property(event, make_members):
    from events.selectors import registrations_of

    event.capacity = 1
    event.save()
    a, b, c = make_members(3)
    ra = actions.registration_create(actor=a, event=event)
    rc = [actions.registration_create(actor=p, event=event) for p in (b, c)][1]
    assert (ra.waitlist_position, rc.waitlist_position) == (None, 2)
    assert [r.waitlist_position for r in registrations_of(c)] == [2]
    assert [r.waitlist_position for r in registrations_of(a)] == [None]


# The date window (issue 15, 2.2) ------------------------------------------------


def _local(cluster, year, month=3, day=10, hour=18):
    from datetime import datetime

    return datetime(year, month, day, hour, 0, tzinfo=cluster.tzinfo)


@pytest.mark.parametrize("year", [1, 1900, 2999, 9999])
def test_event_create_in_absurd_year_refused_and_saves_nothing(manager, cluster, year):
    start = _local(cluster, year, 1 if year == 1 else 3, 1 if year == 1 else 10, 0)
    with pytest.raises(ActionError) as exc:
        actions.event_create(
            actor=manager, cluster=cluster, **_fields(start=start, end=start + timedelta(hours=2))
        )
    assert exc.value.field == "start"
    assert "today at the earliest and at most 3 years ahead" in exc.value.message
    assert Event.objects.count() == 0


def test_event_create_window_is_today_to_three_years_ahead(manager, cluster):
    today = timezone.localdate(timezone=cluster.tzinfo)
    first, last = actions.event_date_window(today)
    assert first == today
    assert (last.year - today.year, (last - today).days in (1095, 1096)) == (3, True)
    yesterday = _local(cluster, today.year, today.month, today.day) - timedelta(days=1)
    too_far = _local(cluster, last.year, last.month, last.day) + timedelta(days=1)
    for start in (yesterday, too_far):
        with pytest.raises(ActionError):
            actions.event_create(
                actor=manager,
                cluster=cluster,
                **_fields(start=start, end=start + timedelta(hours=1)),
            )
    on_last_day = _local(cluster, last.year, last.month, last.day, 9)
    event = actions.event_create(
        actor=manager,
        cluster=cluster,
        **_fields(start=on_last_day, end=on_last_day + timedelta(hours=1)),
    )
    assert event.start == on_last_day


def test_event_create_end_far_beyond_the_window_refused(manager, cluster):
    start = _start()
    with pytest.raises(ActionError) as exc:
        actions.event_create(
            actor=manager, cluster=cluster, **_fields(start=start, end=_local(cluster, 9999))
        )
    assert exc.value.field == "end"
    assert Event.objects.count() == 0


def test_event_create_registration_opening_in_year_1_refused(manager, cluster):
    with pytest.raises(ActionError) as exc:
        actions.event_create(
            actor=manager, cluster=cluster, **_fields(registration_opens=_local(cluster, 1, 1, 2))
        )
    assert exc.value.field == "registration_opens"
    assert Event.objects.count() == 0


def test_event_update_of_a_past_event_keeps_its_start(manager, cluster):
    start = timezone.now() - timedelta(days=400)
    event = EventFactory(cluster=cluster, start=start, end=start + timedelta(hours=2))
    actions.event_update(actor=manager, event=event, title="Renamed afterwards")
    event.refresh_from_db()
    assert (event.title, event.start) == ("Renamed afterwards", start)
    with pytest.raises(ActionError) as exc:
        actions.event_update(
            actor=manager,
            event=event,
            start=start + timedelta(days=1),
            end=start + timedelta(days=2),
        )
    assert exc.value.field == "start"


@pytest.mark.parametrize("year", [2999, 9999])
def test_event_publish_far_future_draft_refused(manager, cluster, year):
    start = _local(cluster, year)
    event = EventFactory(
        cluster=cluster, status=EventStatus.DRAFT, start=start, end=start + timedelta(hours=2)
    )
    with pytest.raises(ActionError) as exc:
        actions.event_publish(actor=manager, event=event)
    assert "at most 3 years ahead" in exc.value.message
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
