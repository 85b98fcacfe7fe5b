import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from services.rooms.models import Booking
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.rooms.conftest import local_dt


def test_migrations_are_complete(db):
    call_command("makemigrations", "rooms", "--check", "--dry-run", verbosity=0)


def _constraint_names() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, Booking._meta.db_table))


def test_exclusion_constraint_only_on_postgresql(db):
    names = _constraint_names()
    assert ("booking_no_overlap" in names) == (connection.vendor == "postgresql")
    assert "booking_end_after_start" in names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_database_refuses_overlapping_active_bookings(cluster, tuesday):
    room = RoomFactory(cluster=cluster)
    other = RoomFactory(cluster=cluster)
    BookingFactory(room=room, start=local_dt(room, tuesday, 14), end=local_dt(room, tuesday, 16))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            room=room, start=local_dt(room, tuesday, 15), end=local_dt(room, tuesday, 17)
        )
    # Touching ends, other rooms and inactive bookings are fine.
    BookingFactory(room=room, start=local_dt(room, tuesday, 16), end=local_dt(room, tuesday, 17))
    BookingFactory(room=other, start=local_dt(room, tuesday, 14), end=local_dt(room, tuesday, 16))
    BookingFactory(
        room=room,
        status="cancelled",
        start=local_dt(room, tuesday, 14),
        end=local_dt(room, tuesday, 16),
    )
    assert Booking.objects.count() == 4


def test_end_must_follow_start(cluster, tuesday):
    room = RoomFactory(cluster=cluster)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            room=room, start=local_dt(room, tuesday, 16), end=local_dt(room, tuesday, 14)
        )
