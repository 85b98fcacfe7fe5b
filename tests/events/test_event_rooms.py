"""An event takes a room of its cluster through the room booking rules."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from events import actions
from events.models import Event
from portal.base.errors import ActionError
from services.rooms.models import Booking
from tests.factories.events import EventFactory
from tests.factories.rooms import BookingFactory, RoomFactory


def next_weekday_at(cluster, hour: int, days: int = 7) -> datetime:
    day = timezone.now().astimezone(cluster.tzinfo).date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=cluster.tzinfo)


def _fields(cluster, **over):
    start = over.pop("start", next_weekday_at(cluster, 14))
    data = dict(
        title="Hybrid networking",
        kind="networking",
        format="hybrid",
        start=start,
        end=start + timedelta(hours=2),
        address="",
        online_link="https://meet.example/n",
        capacity=10,
        online_capacity=40,
        registration_opens=None,
        registration_closes=None,
        waitlist_enabled=True,
        audience="cluster",
        description="",
        reminder_offsets=[1440, 60],
    )
    data.update(over)
    return data


def test_event_books_its_room(manager, cluster):
    room = RoomFactory(cluster=cluster, name="Salle Darwin", capacity=30)
    event = actions.event_create(actor=manager, cluster=cluster, room=room, **_fields(cluster))
    booking = Booking.objects.get()
    assert (event.room, event.room_booking) == (room, booking)
    assert (booking.start, booking.end, booking.status) == (event.start, event.end, "confirmed")
    assert event.place == "Salle Darwin, Building A, 2nd floor"


def test_clash_is_refused_with_the_booking_named(manager, cluster):
    room = RoomFactory(cluster=cluster, name="Salle Darwin", capacity=30)
    start = next_weekday_at(cluster, 14)
    BookingFactory(
        room=room,
        title="Board meeting",
        start=start - timedelta(hours=1),
        end=start + timedelta(hours=1),
    )
    with pytest.raises(ActionError) as exc:
        actions.event_create(
            actor=manager, cluster=cluster, room=room, **_fields(cluster, start=start)
        )
    assert exc.value.field == "room"
    assert "Board meeting" in exc.value.message
    assert Event.objects.count() == 0


def test_room_of_another_cluster_is_refused(manager, cluster):
    room = RoomFactory()
    with pytest.raises(ActionError):
        actions.event_create(actor=manager, cluster=cluster, room=room, **_fields(cluster))
    assert Event.objects.count() == 0


def test_cancel_frees_the_room(manager, cluster):
    room = RoomFactory(cluster=cluster, capacity=30)
    event = actions.event_create(actor=manager, cluster=cluster, room=room, **_fields(cluster))
    actions.event_publish(actor=manager, event=event)
    actions.event_cancel(actor=manager, event=event)
    assert Booking.objects.get().status == "cancelled"
    event.refresh_from_db()
    assert event.room is None and event.room_booking is None


def test_new_time_moves_the_booking(manager, cluster):
    room = RoomFactory(cluster=cluster, capacity=30)
    event = actions.event_create(actor=manager, cluster=cluster, room=room, **_fields(cluster))
    new_start = event.start + timedelta(days=1)
    while new_start.astimezone(cluster.tzinfo).weekday() >= 5:
        new_start += timedelta(days=1)
    actions.event_update(
        actor=manager, event=event, start=new_start, end=new_start + timedelta(hours=1)
    )
    event.refresh_from_db()
    active = Booking.objects.exclude(status="cancelled").get()
    assert (active.start, active.end, event.room_booking) == (
        new_start,
        new_start + timedelta(hours=1),
        active,
    )
    assert Booking.objects.filter(status="cancelled").count() == 1


def test_room_to_address_frees_the_room(manager, cluster):
    room = RoomFactory(cluster=cluster, capacity=30)
    event = actions.event_create(actor=manager, cluster=cluster, room=room, **_fields(cluster))
    actions.event_update(actor=manager, event=event, room=None, address="Hôtel de ville, Évry")
    event.refresh_from_db()
    assert (event.room, event.place) == (None, "Hôtel de ville, Évry")
    assert Booking.objects.get().status == "cancelled"


def test_outside_hours_refused(manager, cluster):
    room = RoomFactory(cluster=cluster, capacity=30)
    with pytest.raises(ActionError) as exc:
        actions.event_create(
            actor=manager,
            cluster=cluster,
            room=room,
            **_fields(cluster, start=next_weekday_at(cluster, 18)),
        )
    assert "Outside opening hours" in exc.value.message


def test_factory_event_without_room(db):
    assert EventFactory().room is None


def test_more_seats_than_the_room_holds_is_refused(manager, cluster):
    room = RoomFactory(cluster=cluster, name="Small room", capacity=8)
    with pytest.raises(ActionError) as exc:
        actions.event_create(actor=manager, cluster=cluster, room=room, **_fields(cluster))
    assert exc.value.message == (
        "The room Small room cannot be booked: This room holds at most 8 people."
    )
    assert Event.objects.count() == 0
