"""Bookings are shown in the person's zone; the week view and booking forms keep
the room's local time (opening hours are local) and say so."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine
from django.urls import reverse

from services.rooms.actions.bookings import booking_create
from services.rooms.actions.cancellation import booking_cancel
from services.rooms.models import Booking
from tests.factories.rooms import BookingFactory, RoomFactory

from .conftest import local_dt

# Tuesday 15 January 2030, 13:00-15:00 UTC: 14:00-16:00 CET in Paris, 08:00-10:00 EST in New York.
START = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)
END = datetime(2030, 1, 15, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_a_month_before():
    """The fixed instant above stays a month ahead, whatever day the suite runs on."""
    with time_machine.travel(START - timedelta(days=30), tick=True):
        yield


NOTE = (
    "Times here are in Europe/Paris, the room's local time, not in your time zone "
    "(America/New_York)."
)


def _when(html: str) -> str:
    return html.split("<dt>When</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_booking_detail_in_the_persons_zone_when_set(client, member, room):
    booking = BookingFactory(room=room, person=member, start=START, end=END)
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(member)
    html = client.get(reverse("rooms:booking_detail", args=[booking.pk])).content.decode()
    assert _when(html) == (
        'Tuesday 15 January 2030, 08:00-10:00 EST <span class="muted">(America/New_York)</span>'
    )


def test_booking_detail_in_the_clusters_zone_otherwise(client, member, room):
    booking = BookingFactory(room=room, person=member, start=START, end=END)
    client.force_login(member)
    html = client.get(reverse("rooms:booking_detail", args=[booking.pk])).content.decode()
    assert _when(html) == (
        'Tuesday 15 January 2030, 14:00-16:00 <span class="muted">(Europe/Paris)</span>'
    )


def test_my_bookings_in_the_persons_zone(client, member, room):
    BookingFactory(room=room, person=member, start=START, end=END)
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(member)
    html = client.get(reverse("rooms:booking_list")).content.decode()
    assert "<td>Tuesday 15 January 2030, 08:00-10:00 EST</td>" in html


def test_week_view_stays_in_the_rooms_zone_and_says_so(client, member, room, tuesday):
    booking_create(
        actor=member,
        room=room,
        start=local_dt(room, tuesday, 14),
        end=local_dt(room, tuesday, 16),
        title="Kick-off",
        attendees=4,
    )
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(member)
    response = client.get(
        reverse("rooms:room_detail", args=[room.pk]), {"week": tuesday.isoformat()}
    )
    html = response.content.decode()
    own = [c for row in response.context["grid"] for c in row.cells if c.kind == "own"]
    assert [c.local_start.strftime("%H:%M") for c in own if c.block_start] == ["14:00"]
    assert len(own) == 4  # 14:00-16:00 in the room's zone, four half hours
    assert 'Kick-off</a> <span class="tg-note">your organisation</span>' in html
    assert f'<p class="message message-warning">{NOTE}</p>' in html
    assert "Free and taken times (times in Europe/Paris)" in html


def test_week_view_has_no_note_when_the_person_has_no_zone(client, member, room, tuesday):
    client.force_login(member)
    response = client.get(
        reverse("rooms:room_detail", args=[room.pk]), {"week": tuesday.isoformat()}
    )
    assert "the room's local time" not in response.content.decode()


def test_booking_form_keeps_the_rooms_local_time(client, member, room, tuesday):
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(member)
    url = reverse("rooms:booking_create", args=[room.pk])
    assert NOTE in client.get(url).content.decode()
    client.post(
        url,
        {
            "title": "Kick-off",
            "date": tuesday.isoformat(),
            "start": "14:00",
            "end": "16:00",
            "attendees": "4",
        },
    )
    booking = Booking.objects.get(person=member)
    assert booking.start == local_dt(room, tuesday, 14)


def test_cancel_email_in_the_recipients_zone(
    member, other_member, manager, room, mailoutbox, django_capture_on_commit_callbacks
):
    mine = BookingFactory(room=room, person=member, start=START, end=END)
    theirs = BookingFactory(
        room=RoomFactory(cluster=room.cluster), person=other_member, start=START, end=END
    )
    member.time_zone = "America/New_York"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(actor=manager, booking=mine, reason="Works")
        booking_cancel(actor=manager, booking=theirs, reason="Works")
    by_person = {m.to[0]: m.body for m in mailoutbox}
    assert "- Tuesday 15 January 2030, 08:00-10:00 EST\n" in by_person[member.email]
    # No zone of their own: the cluster's, without a mark.
    assert "- Tuesday 15 January 2030, 14:00-16:00\n" in by_person[other_member.email]


def test_ics_keeps_the_rooms_zone_whatever_the_persons(client, member, room):
    booking = BookingFactory(room=room, person=member, start=START, end=END)
    member.time_zone = "America/New_York"
    member.save()
    client.force_login(member)
    response = client.get(reverse("rooms:booking_ics", args=[booking.pk]))
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["dtstart"].params["TZID"]) == "Europe/Paris"
    assert event.decoded("dtstart").strftime("%H:%M") == "14:00"
