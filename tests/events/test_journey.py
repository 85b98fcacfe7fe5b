"""The "Done when" journey of the events issue, end to end through the pages."""

from datetime import timedelta

import icalendar
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration, ReminderDelivery
from events.tasks import send_due_reminders
from portal.base.models import Notification
from tests.events.test_event_rooms import next_weekday_at
from tests.factories.clusters import UserFactory
from tests.factories.rooms import RoomFactory


def test_manager_schedules_hybrid_event_members_register_waitlist_promotion_reminders(
    client, manager, cluster, mailoutbox, django_capture_on_commit_callbacks
):
    room = RoomFactory(cluster=cluster, name="Salle Darwin", capacity=40)
    start = next_weekday_at(cluster, 14)
    client.force_login(manager)
    response = client.post(
        reverse("events:event_create"),
        {
            "cluster": cluster.pk,
            "title": "Cell therapy networking",
            "kind": "networking",
            "format": "hybrid",
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "room": room.pk,
            "online_link": "https://meet.example/cell",
            "capacity": "10",
            "online_capacity": "30",
            "waitlist_enabled": "on",
            "audience": "cluster",
            "reminders": "24h, 1h",
        },
    )
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.room_booking.room == room
    client.post(reverse("events:event_publish", args=[event.slug]))
    event.refresh_from_db()
    assert event.status == "published"

    members = [UserFactory(email=f"p{i}@example.org", member_of=cluster) for i in range(12)]
    for person in members:
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("events:registration_create", args=[event.slug]), {"seat_type": "in_person"}
            )
    regs = list(Registration.objects.filter(event=event).order_by("id"))
    assert [r.status for r in regs] == ["confirmed"] * 10 + ["waitlisted"] * 2
    client.force_login(members[11])
    assert (
        "You are number 2 on the waitlist." in client.get(event.get_absolute_url()).content.decode()
    )

    mailoutbox.clear()
    client.force_login(members[3])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:registration_cancel", args=[regs[3].pk]), {"confirm": "yes"})
    promoted = Registration.objects.get(pk=regs[10].pk)
    assert promoted.status == "confirmed"
    assert Registration.objects.get(pk=regs[11].pk).status == "waitlisted"
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([members[10].email], "A seat freed up: you are now registered for Cell therapy networking")
    ]
    assert Notification.objects.filter(
        recipient=members[10], subject__startswith="A seat freed up"
    ).exists()

    # Reminders: the registrations were made more than a day ahead; move the clock by
    # moving the registrations and the event (the worker's beat would do the rest).
    Registration.objects.filter(event=event).update(created=timezone.now() - timedelta(days=2))
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() + timedelta(minutes=30), end=timezone.now() + timedelta(hours=2)
    )
    mailoutbox.clear()
    send_due_reminders()
    send_due_reminders()  # a second run sends nothing again
    reminders = [m for m in mailoutbox if "X-Portal-Reminder" in m.extra_headers]
    confirmed = Registration.objects.filter(event=event, status="confirmed")
    assert sorted(m.extra_headers["X-Portal-Reminder"] for m in reminders) == sorted(
        f"{r.pk}:{o}" for r in confirmed for o in (1440, 60)
    )
    assert len(reminders) == 20
    assert ReminderDelivery.objects.filter(status="sent").count() == 20
    for m in reminders:
        name, content, mimetype = m.attachments[0]
        assert mimetype == "text/calendar"
        vevent = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
        assert str(vevent["SUMMARY"]) == "Cell therapy networking"
        assert str(vevent["LOCATION"]).startswith("Salle Darwin")
        # In-person seats: the reminder body carries no online link.
        assert "meet.example" not in m.body
