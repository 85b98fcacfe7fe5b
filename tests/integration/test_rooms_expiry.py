"""The beat task expires undecided bookings through a real worker on the real broker."""

from datetime import timedelta

from django.utils import timezone

from services.rooms.models import Booking
from services.rooms.tasks import expire_pending_bookings
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.integration.conftest import wait_until


def test_worker_expires_pending_booking_and_tells_the_member(
    celery_worker_factory, member, cluster, tmp_path
):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    now = timezone.now()
    soon = BookingFactory(
        room=room,
        person=member,
        status="pending",
        start=now + timedelta(hours=47),
        end=now + timedelta(hours=48),
    )
    later = BookingFactory(
        room=room,
        person=member,
        status="pending",
        start=now + timedelta(days=5),
        end=now + timedelta(days=5, hours=1),
    )
    celery_worker_factory()
    expire_pending_bookings.delay()
    wait_until(lambda: Booking.objects.get(pk=soon.pk).status == "expired")
    assert Booking.objects.get(pk=later.pk).status == "pending"
    mails = wait_until(lambda: list((tmp_path / "mail").glob("*.log")))
    text = mails[0].read_text()
    assert f"To: {member.email}" in text
    assert f"Your booking request for {room.name} expired" in text
