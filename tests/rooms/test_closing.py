"""Closing a date that holds bookings (issue 15, 2.5): the manager sees the
bookings first, then cancels them (each booker is told) or keeps them; nothing
is hidden from the bookers."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portal.base.errors import ActionError
from portal.base.models import Notification
from services.rooms.actions.bookings import booking_create
from services.rooms.actions.closing import ClosingHasBookings, closed_date_add
from services.rooms.models import Booking, ClosedDate
from tests.rooms.conftest import local_dt


def book(person, room, day, start, end, title):
    return booking_create(
        actor=person,
        room=room,
        start=local_dt(room, day, start),
        end=local_dt(room, day, end),
        title=title,
        attendees=4,
    )


@pytest.fixture
def scene(member, other_member, room, tuesday):
    """Two bookings on Tuesday (two organisations) and one on Wednesday."""
    return {
        "ours": book(member, room, tuesday, 9, 10, "Our kick-off"),
        "theirs": book(other_member, room, tuesday, 14, 16, "Their board"),
        "wednesday": book(member, room, tuesday + timedelta(days=1), 9, 10, "Wednesday sync"),
    }


def close(client, room, day, **data):
    return client.post(
        reverse("rooms:closed_add", args=[room.pk]),
        {"date": day.isoformat(), "reason": "Painting", **data},
    )


def statuses():
    return dict(Booking.objects.values_list("title", "status"))


def test_closing_a_date_with_bookings_first_lists_them_and_changes_nothing(
    client, manager, room, tuesday, scene
):
    client.force_login(manager)
    response = close(client, room, tuesday)
    assert response.status_code == 200
    assert response.templates[0].name == "rooms/closed_date_confirm.html"
    assert [b.title for b in response.context["bookings"]] == ["Our kick-off", "Their board"]
    html = response.content.decode()
    assert "Our kick-off" in html and "Their board" in html and "Wednesday sync" not in html
    assert 'name="held" value="cancel"' in html and 'name="held" value="keep"' in html
    assert ClosedDate.objects.count() == 0
    assert set(statuses().values()) == {"confirmed"}
    assert Notification.objects.count() == 0


def test_closing_and_cancelling_tells_each_booker(
    client,
    manager,
    member,
    other_member,
    room,
    tuesday,
    scene,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(manager)
    ids = [scene["ours"].pk, scene["theirs"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = close(
            client,
            room,
            tuesday,
            held="cancel",
            booking_ids=ids,
            notice="Water damage: the room is closed.",
        )
    assert response.status_code == 302
    assert list(ClosedDate.objects.values_list("date", "reason")) == [(tuesday, "Painting")]
    assert statuses() == {
        "Our kick-off": "cancelled",
        "Their board": "cancelled",
        "Wednesday sync": "confirmed",
    }
    assert set(Booking.objects.filter(status="cancelled").values_list("reason", flat=True)) == {
        "Water damage: the room is closed."
    }
    for person, title in [(member, "Our kick-off"), (other_member, "Their board")]:
        notice = Notification.objects.get(recipient=person)
        assert notice.subject == "Your booking of Pasteur room was cancelled"
        assert title in notice.body and "Water damage: the room is closed." in notice.body
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.email, other_member.email])
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "The date was closed. 2 bookings were cancelled; each booker was told."
    ]


def test_closing_and_keeping_leaves_the_bookings_shown_to_their_owners(
    client, manager, member, room, tuesday, scene
):
    client.force_login(manager)
    ids = [scene["ours"].pk, scene["theirs"].pk]
    response = close(client, room, tuesday, held="keep", booking_ids=ids)
    assert response.status_code == 302
    assert ClosedDate.objects.filter(date=tuesday).exists()
    assert set(statuses().values()) == {"confirmed"}
    assert Notification.objects.count() == 0
    client.force_login(member)
    week = client.get(reverse("rooms:room_detail", args=[room.pk]), {"week": tuesday.isoformat()})
    day = next(d for d in week.context["days"] if d["date"] == tuesday)
    assert [(s.kind, s.label) for s in day["segments"]] == [
        ("own", "Our kick-off"),
        ("taken", ""),
    ]
    html = week.content.decode()
    assert "Closed: Painting" in html
    assert reverse("rooms:booking_detail", args=[scene["ours"].pk]) in html
    mine = client.get(reverse("rooms:booking_list"))
    assert "Our kick-off" in mine.content.decode()


def test_a_booking_made_since_the_list_was_shown_is_shown_before_closing(
    client, manager, other_member, room, tuesday, scene
):
    client.force_login(manager)
    late = book(other_member, room, tuesday, 17, 18, "Late arrival")
    response = close(
        client,
        room,
        tuesday,
        held="cancel",
        notice="Sorry",
        booking_ids=[scene["ours"].pk, scene["theirs"].pk],
    )
    assert response.status_code == 200
    assert [b.pk for b in response.context["bookings"]] == [
        scene["ours"].pk,
        scene["theirs"].pk,
        late.pk,
    ]
    assert ClosedDate.objects.count() == 0
    assert set(statuses().values()) == {"confirmed"}


def test_cancelling_them_needs_a_message_for_the_bookers(client, manager, room, tuesday, scene):
    client.force_login(manager)
    response = close(
        client,
        room,
        tuesday,
        held="cancel",
        notice="  ",
        booking_ids=[scene["ours"].pk, scene["theirs"].pk],
    )
    assert response.status_code == 200
    assert response.context["notice_error"] == "Write the message each booker receives."
    assert ClosedDate.objects.count() == 0
    assert set(statuses().values()) == {"confirmed"}


def test_closed_date_add_refuses_to_decide_for_the_manager(manager, room, tuesday, scene):
    with pytest.raises(ClosingHasBookings) as exc:
        closed_date_add(actor=manager, room=room, day=tuesday, reason="Painting")
    assert [b.pk for b in exc.value.bookings] == [scene["ours"].pk, scene["theirs"].pk]
    assert isinstance(exc.value, ActionError)
    assert ClosedDate.objects.count() == 0


def test_a_date_without_bookings_closes_at_once(client, manager, room, tuesday, scene):
    client.force_login(manager)
    thursday = tuesday + timedelta(days=2)
    response = close(client, room, thursday)
    assert response.status_code == 302
    assert ClosedDate.objects.filter(date=thursday).exists()
