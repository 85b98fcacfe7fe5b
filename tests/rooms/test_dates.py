"""Dates far outside the window (issue 15, 2.1): every room page answers with a
message naming the window, never a 500, and saves nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portal.base.dates import sane_window
from services.rooms.models import Booking, ClosedDate

EXTREMES = ["9999-12-31", "0001-01-01"]


def window_text() -> str:
    first, last = sane_window(timezone.localdate())
    return (
        f"Choose a date between {date_format(first)} and {date_format(last)}: dates further"
        " back or further ahead are not accepted."
    )


def booking_payload(**data):
    payload = {
        "title": "Kick-off",
        "date": "",
        "start": "14:00",
        "end": "16:00",
        "attendees": "4",
        "notes": "",
        "repeat": "",
        "count": "",
        "until": "",
    }
    payload.update(data)
    return payload


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("htmx", [False, True])
def test_finder_with_an_extreme_date_names_the_window(client, member, room, day, htmx):
    client.force_login(member)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(reverse("rooms:finder"), {"attendees": "4", "date": day}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    results = html[html.index('id="finder-results"') :]
    assert window_text() in results  # in the part htmx swaps in, not only beside the field
    assert response.context["results"] is None


def test_finder_far_ahead_but_valid_format_is_refused(client, member, room):
    client.force_login(member)
    far = sane_window(timezone.localdate())[1] + timedelta(days=1)
    response = client.get(reverse("rooms:finder"), {"attendees": "4", "date": far.isoformat()})
    assert response.context["form"].errors == {"date": [window_text()]}


@pytest.mark.parametrize("day", EXTREMES)
def test_booking_form_with_an_extreme_date_is_a_form_error(client, member, room, day):
    client.force_login(member)
    response = client.post(
        reverse("rooms:booking_create", args=[room.pk]), booking_payload(date=day)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": [window_text()]}
    assert Booking.objects.count() == 0


def test_booking_form_repeat_until_an_extreme_date_is_a_form_error(client, member, room, tuesday):
    client.force_login(member)
    response = client.post(
        reverse("rooms:booking_create", args=[room.pk]),
        booking_payload(date=tuesday.isoformat(), repeat="weekly", until="9999-12-31"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"until": [window_text()]}
    assert Booking.objects.count() == 0


def test_booking_form_prefilled_with_an_extreme_date_renders(client, member, room):
    client.force_login(member)
    response = client.get(
        reverse("rooms:booking_create", args=[room.pk]), {"date": "9999-12-31", "start": "23:59"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("day", [*EXTREMES, "9999-12-27", "0001-01-07", "not-a-date"])
@pytest.mark.parametrize("htmx", [False, True])
def test_week_view_with_an_extreme_week_shows_this_week_and_says_why(
    client, member, room, day, htmx
):
    client.force_login(member)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(reverse("rooms:room_detail", args=[room.pk]), {"week": day}, **headers)
    assert response.status_code == 200
    today = timezone.localdate(timezone=room.tzinfo)
    assert response.context["week_start"] == today - timedelta(days=today.weekday())
    expected = "Enter a valid date." if day == "not-a-date" else window_text()
    assert response.context["week_error"] == expected
    html = response.content.decode()
    section = html[html.index('id="room-week"') :]
    assert expected in section


def test_week_view_offers_no_week_outside_the_window(client, member, room):
    client.force_login(member)
    last = sane_window(timezone.localdate())[1]
    monday = last - timedelta(days=last.weekday())
    response = client.get(
        reverse("rooms:room_detail", args=[room.pk]), {"week": monday.isoformat()}
    )
    assert response.context["week_error"] is None
    assert response.context["next_week"] is None
    assert "Next week" not in response.content.decode()


@pytest.mark.parametrize("day", EXTREMES)
def test_utilisation_with_an_extreme_week_says_why(client, manager, room, day):
    client.force_login(manager)
    response = client.get(reverse("rooms:utilisation"), {"week": day})
    assert response.status_code == 200
    assert window_text() in response.content.decode()


@pytest.mark.parametrize("day", EXTREMES)
def test_closing_an_extreme_date_is_refused_with_the_window(client, manager, room, day):
    client.force_login(manager)
    response = client.post(
        reverse("rooms:closed_add", args=[room.pk]), {"date": day, "reason": "x"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [window_text()]
    assert ClosedDate.objects.count() == 0


def test_manager_booking_filter_with_an_extreme_date_says_why(client, manager, room):
    client.force_login(manager)
    response = client.get(reverse("rooms:booking_manage_list"), {"date_from": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors == {"date_from": [window_text()]}
    assert window_text() in response.content.decode()
