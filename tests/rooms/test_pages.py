from django.urls import reverse

from services.rooms.actions.bookings import booking_create
from tests.factories import UserFactory
from tests.rooms.conftest import local_dt


def test_every_page_renders_for_member_and_manager(client, member, manager, room, tuesday):
    b = booking_create(
        actor=member,
        room=room,
        start=local_dt(room, tuesday, 14),
        end=local_dt(room, tuesday, 15),
        title="Kick-off",
        attendees=4,
    )
    client.force_login(member)
    for url in [
        reverse("rooms:finder"),
        reverse("rooms:finder")
        + f"?attendees=4&date={tuesday}&start=13:00&end=17:00&amenities=video",
        reverse("rooms:room_detail", args=[room.pk]),
        reverse("rooms:booking_create", args=[room.pk]),
        reverse("rooms:booking_list"),
        reverse("rooms:booking_detail", args=[b.pk]),
        reverse("rooms:booking_ics", args=[b.pk]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
    client.force_login(manager)
    for url in [
        reverse("rooms:room_manage_list"),
        reverse("rooms:room_create"),
        reverse("rooms:room_update", args=[room.pk]),
        reverse("rooms:booking_manage_list"),
        reverse("rooms:approval_queue"),
        reverse("rooms:utilisation"),
        reverse("rooms:booking_detail", args=[b.pk]),
        reverse("rooms:room_detail", args=[room.pk]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url


def test_admin_pages_render(client, member, room, tuesday):
    from services.rooms.models import Booking

    b = booking_create(
        actor=member,
        room=room,
        start=local_dt(room, tuesday, 9),
        end=local_dt(room, tuesday, 10),
        title="Admin view",
        attendees=2,
    )
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("room", "booking", "bookingseries", "openinghours", "closeddate"):
        assert client.get(reverse(f"admin:rooms_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:rooms_room_change", args=[room.pk])).status_code == 200
    assert client.get(reverse("admin:rooms_booking_change", args=[b.pk])).status_code == 200
    assert Booking.objects.count() == 1
