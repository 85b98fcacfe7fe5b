import io
from datetime import timedelta
from html.parser import HTMLParser

import icalendar
import pytest
import time_machine
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from services.rooms.actions.bookings import booking_create
from services.rooms.models import Booking, Room
from tests.factories import ClusterFactory, UserFactory
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.rooms.conftest import local_dt, next_weekday


def make_booking(person, room, day, start=14, end=16, **kw):
    return booking_create(
        actor=person,
        room=room,
        start=local_dt(room, day, start),
        end=local_dt(room, day, end),
        title=kw.pop("title", "Kick-off"),
        attendees=4,
        **kw,
    )


def post_booking(client, room, **data):
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
    return client.post(reverse("rooms:booking_create", args=[room.pk]), payload)


# Booking form: good and bad input ---------------------------------------------------


def test_booking_form_books_and_redirects(client, member, room, tuesday):
    client.force_login(member)
    response = post_booking(client, room, date=tuesday.isoformat())
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rooms:booking_detail", args=[booking.pk])
    assert (booking.start, booking.end) == (
        local_dt(room, tuesday, 14),
        local_dt(room, tuesday, 16),
    )


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"start": "16:00", "end": "14:00"}, "end", "The end must be after the start."),
        ({"date": "last week"}, "date", "This time is in the past."),
        ({"attendees": "eight"}, "attendees", "Enter a whole number."),
        ({"date": "saturday"}, "date", "The room is not open on Saturday."),
        ({"attendees": "12"}, "attendees", "This room holds at most 10 people."),
        (
            {"start": "18:00", "end": "20:00"},
            "start",
            "Outside opening hours: on Tuesday the room is open 08:00-19:00.",
        ),
        ({"date": "not a date"}, "date", "Enter a valid date."),
    ],
)
def test_bad_input_shows_the_fields_message_and_saves_nothing(
    client, member, room, tuesday, data, field, message
):
    client.force_login(member)
    if data.get("date") == "saturday":
        data = {**data, "date": next_weekday(5).isoformat()}
    if data.get("date") == "last week":
        data = {**data, "date": (tuesday - timedelta(days=14)).isoformat()}
    data = {"date": tuesday.isoformat(), **data}
    response = post_booking(client, room, **data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Booking.objects.count() == 0


def test_clash_shown_at_start_without_the_other_title(client, member, other_member, room, tuesday):
    make_booking(other_member, room, tuesday, title="Secret merger talks")
    client.force_login(member)
    response = post_booking(client, room, date=tuesday.isoformat(), start="15:00", end="17:00")
    errors = response.context["form"].errors["start"]
    assert len(errors) == 1 and errors[0].startswith("This time is already taken (14:00-16:00 on")
    assert "Secret merger" not in response.content.decode()
    assert Booking.objects.count() == 1


def test_recurring_booking_preview_then_book_the_free_ones(
    client, member, other_member, room, tuesday
):
    clash = tuesday + timedelta(days=7)
    make_booking(other_member, room, clash, 15, 17)
    client.force_login(member)
    data = {"date": tuesday.isoformat(), "repeat": "weekly", "count": "4"}
    preview = post_booking(client, room, **data)
    assert preview.templates[0].name == "rooms/booking_preview.html"
    assert [c.free for c in preview.context["checks"]] == [True, False, True, True]
    assert Booking.objects.count() == 1
    nothing = post_booking(client, room, choice="nothing", **data)
    assert nothing.status_code == 302 and Booking.objects.count() == 1
    done = post_booking(client, room, choice="free", **data)
    assert done.status_code == 302
    mine = Booking.objects.filter(person=member).order_by("start")
    assert [b.start.date() for b in mine] == [
        local_dt(room, d, 14).date()
        for d in (tuesday, tuesday + timedelta(14), tuesday + timedelta(21))
    ]


def test_recurring_needs_count_or_until(client, member, room, tuesday):
    client.force_login(member)
    response = post_booking(client, room, date=tuesday.isoformat(), repeat="weekly")
    assert response.context["form"].errors["count"] == ["Say how many times, or until when."]
    response = post_booking(client, room, date=tuesday.isoformat(), repeat="weekly", count="60")
    assert response.context["form"].errors["count"] == [
        "Ensure this value is less than or equal to 52."
    ]


# Privacy: 404 on every URL of another organisation's booking -----------------------


def test_every_booking_url_is_404_for_another_organisation(
    client, member, other_member, room, tuesday
):
    from services.rooms.actions.series import booking_series_create

    series, booked, _ = booking_series_create(
        actor=member,
        room=room,
        title="Weekly",
        attendees=4,
        first_day=tuesday,
        start_time=local_dt(room, tuesday, 9).time(),
        end_time=local_dt(room, tuesday, 10).time(),
        frequency="weekly",
        count=2,
    )
    booking = booked[0]
    client.force_login(other_member)
    gets = ["booking_detail", "booking_ics"]
    posts = ["booking_cancel", "booking_approve", "booking_reject"]
    for name in gets:
        assert client.get(reverse(f"rooms:{name}", args=[booking.pk])).status_code == 404, name
    for name in posts:
        assert (
            client.post(
                reverse(f"rooms:{name}", args=[booking.pk]), {"reason": "x", "confirm": "yes"}
            ).status_code
            == 404
        ), name
    series_url = reverse("rooms:series_cancel", args=[series.pk])
    assert (
        client.post(series_url, {"from_date": tuesday.isoformat(), "confirm": "yes"}).status_code
        == 404
    )
    assert Booking.objects.filter(status="confirmed").count() == 2
    # The owner's colleague sees it; the owner too.
    colleague = UserFactory(organisation=member.organisation)
    client.force_login(colleague)
    assert client.get(reverse("rooms:booking_detail", args=[booking.pk])).status_code == 200


def test_member_cannot_approve_own_booking(client, member, cluster, tuesday):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    booking = make_booking(member, room, tuesday)
    client.force_login(member)
    assert client.post(reverse("rooms:booking_approve", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_room_of_another_cluster_is_404(client, member, tuesday):
    foreign = RoomFactory(cluster=ClusterFactory())
    client.force_login(member)
    for name in ("room_detail", "booking_create"):
        assert client.get(reverse(f"rooms:{name}", args=[foreign.pk])).status_code == 404


def test_manager_pages_are_404_for_members(client, member, room):
    client.force_login(member)
    for name in (
        "room_manage_list",
        "room_create",
        "booking_manage_list",
        "approval_queue",
        "utilisation",
    ):
        assert client.get(reverse(f"rooms:{name}")).status_code == 404, name
    assert client.get(reverse("rooms:room_update", args=[room.pk])).status_code == 404


def test_manager_of_another_cluster_gets_404_on_room_and_booking(client, member, room, tuesday):
    from tests.factories import ClusterRoleFactory

    booking = make_booking(member, room, tuesday)
    stranger = UserFactory()
    ClusterRoleFactory(user=stranger, cluster=ClusterFactory(), role="manager")
    client.force_login(stranger)
    assert client.get(reverse("rooms:room_update", args=[room.pk])).status_code == 404
    assert client.get(reverse("rooms:booking_detail", args=[booking.pk])).status_code == 404
    assert (
        client.post(
            reverse("rooms:booking_cancel", args=[booking.pk]), {"reason": "x", "confirm": "yes"}
        ).status_code
        == 404
    )


# Week view ------------------------------------------------------------------------------


def test_week_view_shows_own_titles_and_hides_others(client, member, other_member, room, tuesday):
    make_booking(member, room, tuesday, 9, 10, title="Our strategy day")
    make_booking(other_member, room, tuesday, 14, 16, title="Their secret")
    client.force_login(member)
    response = client.get(
        reverse("rooms:room_detail", args=[room.pk]), {"week": tuesday.isoformat()}
    )
    html = response.content.decode()
    assert "Our strategy day" in html and "Their secret" not in html
    assert "14:00-16:00\n                taken" in html or "taken" in html
    day = next(d for d in response.context["days"] if d["date"] == tuesday)
    assert [(s.kind, s.label) for s in day["segments"]] == [
        ("free", ""),
        ("own", "Our strategy day"),
        ("free", ""),
        ("taken", ""),
        ("free", ""),
    ]


def test_week_view_htmx_returns_the_partial(client, member, room, tuesday):
    client.force_login(member)
    response = client.get(
        reverse("rooms:room_detail", args=[room.pk]),
        {"week": tuesday.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="room-week"' in html
    assert 'hx-push-url="true"' in html and 'aria-live="polite"' in html
    monday = tuesday - timedelta(days=1)
    assert response.context["week_start"] == monday


class _Links(HTMLParser):
    """Every link of a page in document (Tab) order: (href, accessible text)."""

    def __init__(self):
        super().__init__()
        self.links: list[list[str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href", ""), ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append([self._open[0], " ".join(self._open[1].split())])
            self._open = None


def test_week_view_book_links_each_have_their_own_name(client, member, other_member, room, tuesday):
    """WCAG 2.4.4/2.4.6: a free range beside another (across a taken time, or from one
    day to the next) offers a link that says which day and times it books."""
    make_booking(other_member, room, tuesday, 14, 16, title="Their meeting")
    client.force_login(member)
    response = client.get(
        reverse("rooms:room_detail", args=[room.pk]), {"week": tuesday.isoformat()}
    )
    parser = _Links()
    parser.feed(response.content.decode())
    book_url = reverse("rooms:booking_create", args=[room.pk])
    in_order = [(href.startswith(book_url + "?date="), text) for href, text in parser.links]
    book_names = [text for is_book, text in in_order if is_book]
    # one link per free half hour, Monday to Friday 08:00-19:00, less Tuesday 14-16
    assert len(book_names) == 5 * 22 - 4
    assert len(set(book_names)) == len(book_names)
    day = tuesday.strftime("%A %-d %B")
    assert f"Book {day}, 13:30-14:00 free" in book_names
    assert f"Book {day}, 14:00-14:30 free" not in book_names
    assert f"Book {day}, 16:00-16:30 free" in book_names


@pytest.mark.parametrize("n", [1, 3])
def test_week_view_query_count(client, member, room, tuesday, n, django_assert_num_queries):
    for i in range(n):
        make_booking(member, room, tuesday, 9 + 2 * i, 10 + 2 * i)
    client.force_login(member)
    url = reverse("rooms:room_detail", args=[room.pk])
    client.get(url)  # warm the session
    with django_assert_num_queries(11):
        client.get(url, {"week": tuesday.isoformat()})


# Finder ---------------------------------------------------------------------------------


def test_finder_lists_fitting_rooms_with_free_times(client, member, cluster, room, tuesday):
    small = RoomFactory(cluster=cluster, name="Tiny", capacity=4)
    no_video = RoomFactory(cluster=cluster, name="No video", capacity=20, amenities=["screen"])
    busy = RoomFactory(cluster=cluster, name="Busy", capacity=12)
    make_booking(member, busy, tuesday, 13, 18)
    RoomFactory(cluster=ClusterFactory(), name="Elsewhere", capacity=30)
    client.force_login(member)
    response = client.get(
        reverse("rooms:finder"),
        {
            "attendees": 8,
            "date": tuesday.isoformat(),
            "start": "14:00",
            "end": "17:00",
            "amenities": ["video"],
        },
    )
    results = response.context["results"]
    assert [r["room"].name for r in results] == ["Pasteur room"]
    assert small and no_video
    assert "start=14%3A00&end=17%3A00" in results[0]["book_url"]
    # For a length instead of times: rooms with a long enough free interval.
    response = client.get(
        reverse("rooms:finder"), {"attendees": 8, "date": tuesday.isoformat(), "duration": 120}
    )
    assert sorted(r["room"].name for r in response.context["results"]) == [
        "Busy",
        "No video",
        "Pasteur room",
    ]


def test_finder_rejects_past_dates(client, member, room):
    client.force_login(member)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.get(reverse("rooms:finder"), {"attendees": 2, "date": yesterday})
    assert response.context["form"].errors["date"] == ["Choose today or a later date."]
    assert response.context["results"] is None


@pytest.mark.parametrize("n", [1, 3])
def test_finder_query_count(client, member, cluster, tuesday, n, django_assert_num_queries):
    for _i in range(n):
        r = RoomFactory(cluster=cluster)
        make_booking(member, r, tuesday, 9, 10)
    client.force_login(member)
    url = reverse("rooms:finder")
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url, {"attendees": 2, "date": tuesday.isoformat()})
    assert len(response.context["results"]) == n


# Lists and their query counts ---------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 3])
def test_my_bookings_query_count(client, member, room, tuesday, n, django_assert_num_queries):
    for i in range(n):
        make_booking(member, room, tuesday + timedelta(days=7 * i))
    client.force_login(member)
    url = reverse("rooms:booking_list")
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["bookings"]) == n
    assert response.context["feed_url"] == f"http://testserver/calendar/{member.calendar_token}.ics"
    assert 'action="/calendar/reset/"' in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_manager_booking_list_query_count(
    client, member, manager, room, tuesday, n, django_assert_num_queries
):
    for i in range(n):
        make_booking(member, room, tuesday + timedelta(days=7 * i))
    client.force_login(manager)
    url = reverse("rooms:booking_manage_list")
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url, {"status": "confirmed"})
    assert len(response.context["bookings"]) == n


def test_manager_booking_filter(client, member, other_member, manager, room, tuesday):
    a = make_booking(member, room, tuesday, 9, 10)
    make_booking(other_member, room, tuesday, 11, 12)
    client.force_login(manager)
    response = client.get(
        reverse("rooms:booking_manage_list"), {"organisation": member.organisation_id}
    )
    assert [b.pk for b in response.context["bookings"]] == [a.pk]
    response = client.get(reverse("rooms:booking_manage_list"), {"status": "cancelled"})
    assert list(response.context["bookings"]) == []


@pytest.mark.parametrize("n", [1, 3])
def test_approval_queue_query_count(
    client, member, manager, cluster, tuesday, n, django_assert_num_queries
):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    for i in range(n):
        make_booking(member, room, tuesday + timedelta(days=7 * i))
    client.force_login(manager)
    url = reverse("rooms:approval_queue")
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["bookings"]) == n


def test_approval_from_the_queue(client, member, manager, cluster, tuesday):
    room = RoomFactory(cluster=cluster, needs_approval=True)
    booking = make_booking(member, room, tuesday)
    client.force_login(manager)
    response = client.post(reverse("rooms:booking_approve", args=[booking.pk]))
    assert response["Location"] == reverse("rooms:approval_queue")
    booking.refresh_from_db()
    assert booking.status == "confirmed"


@pytest.mark.parametrize("n", [1, 3])
def test_room_manage_list_query_count(client, manager, cluster, n, django_assert_num_queries):
    for _ in range(n):
        RoomFactory(cluster=cluster)
    client.force_login(manager)
    url = reverse("rooms:room_manage_list")
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["rooms"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_utilisation_query_count_and_figures(
    client, member, manager, cluster, tuesday, n, django_assert_num_queries
):
    rooms = [RoomFactory(cluster=cluster) for _ in range(n)]
    make_booking(member, rooms[0], tuesday, 9, 11)
    make_booking(member, rooms[0], tuesday, 14, 15, title="Short")
    client.force_login(manager)
    url = reverse("rooms:utilisation")
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url, {"week": tuesday.isoformat()})
    rows = response.context["rows"]
    assert [(r["booked_hours"], r["open_hours"], r["percent"]) for r in rows] == (
        [(3.0, 55.0, 5)] + [(0.0, 55.0, 0)] * (n - 1)
    )


# Calendar: .ics per booking and the personal feed -------------------------------------------


def test_booking_ics_parses_in_two_libraries(client, member, room, tuesday):
    booking = make_booking(member, room, tuesday)
    client.force_login(member)
    response = client.get(reverse("rooms:booking_ics", args=[booking.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == local_dt(room, tuesday, 14)
    assert str(event["dtstart"].params["TZID"]) == "Europe/Paris"
    parsed = vobject.readOne(response.content.decode())
    assert parsed.vevent.dtstart.value == local_dt(room, tuesday, 14)
    assert parsed.vevent.summary.value == "Kick-off (Pasteur room)"


def test_feed_lists_active_bookings_and_parses_in_two_libraries(client, member, room, tuesday):
    kept = make_booking(member, room, tuesday)
    gone = make_booking(member, room, tuesday + timedelta(days=7), title="Dropped")
    from services.rooms.actions.cancellation import booking_cancel

    booking_cancel(actor=member, booking=gone)
    response = client.get(reverse("calendar_feed", args=[member.calendar_token]))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert uids == [f"room-booking-{kept.pk}@biocluster-portal"]
    parsed = vobject.readOne(response.content.decode())
    assert [v.uid.value for v in parsed.vevent_list] == uids
    assert parsed.vevent.dtend.value == local_dt(room, tuesday, 16)


def test_feed_reset_changes_the_secret(client, member, room, tuesday):
    make_booking(member, room, tuesday)
    old = member.calendar_token
    client.force_login(member)
    response = client.post(reverse("calendar_reset"), {"next": reverse("rooms:booking_list")})
    assert response["Location"] == reverse("rooms:booking_list")
    member.refresh_from_db()
    assert member.calendar_token != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404


# Rooms CRUD and photos --------------------------------------------------------------------


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def room_post(cluster, **extra):
    data = {
        "cluster": cluster.pk,
        "name": "Salle Darwin",
        "kind": "meeting",
        "capacity": "12",
        "amenities": ["video", "whiteboard"],
        "location": "B2",
        "description": "",
        "min_minutes": "30",
        "max_minutes": "240",
        "buffer_minutes": "15",
        "advance_days": "60",
        "who_may_book": "cluster",
        "is_active": "on",
    }
    for wd in range(5):
        data[f"opens_{wd}"], data[f"closes_{wd}"] = "08:30", "18:00"
    data.update(extra)
    return data


def test_manager_creates_a_room_with_hours_and_photo(client, manager, cluster):
    client.force_login(manager)
    photo = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("rooms:room_create"),
        room_post(cluster, photo_upload=photo, photo_alt="A long table under a skylight"),
    )
    room = Room.objects.get(name="Salle Darwin")
    assert response["Location"] == reverse("rooms:room_update", args=[room.pk])
    assert (room.capacity, room.amenities, room.buffer_minutes) == (12, ["video", "whiteboard"], 15)
    assert [(h.weekday, h.opens.hour, h.closes.hour) for h in room.opening_hours.all()] == [
        (wd, 8, 18) for wd in range(5)
    ]
    assert room.photo.name.startswith("rooms/salle-darwin-") and room.photo.name.endswith(".jpg")
    assert room.photo_alt == "A long table under a skylight"


def test_room_photo_must_be_an_image_of_at_most_5_mb(client, manager, cluster):
    client.force_login(manager)
    fake = SimpleUploadedFile("p.png", b"not an image", content_type="image/png")
    response = client.post(reverse("rooms:room_create"), room_post(cluster, photo_upload=fake))
    assert response.context["form"].errors["photo_upload"] == [
        "Upload an image (PNG, JPEG, GIF or WebP); this file is not one."
    ]
    big = SimpleUploadedFile("p.png", b"0" * (5 * 1024 * 1024 + 1), content_type="image/png")
    response = client.post(reverse("rooms:room_create"), room_post(cluster, photo_upload=big))
    assert response.context["form"].errors["photo_upload"] == ["The photo must be at most 5 MB."]
    assert Room.objects.count() == 0


def test_room_form_checks_hours_and_lengths(client, manager, cluster):
    client.force_login(manager)
    response = client.post(
        reverse("rooms:room_create"),
        room_post(
            cluster,
            opens_0="18:00",
            closes_0="08:00",
            min_minutes="120",
            max_minutes="60",
            capacity="ten",
        ),
    )
    errors = response.context["form"].errors
    assert errors["closes_0"] == ["A room must close after it opens."]
    assert errors["max_minutes"] == ["The longest booking cannot be shorter than the shortest."]
    assert errors["capacity"] == ["Enter a whole number."]
    assert Room.objects.count() == 0


def test_manager_cannot_create_a_room_in_another_cluster(client, manager):
    other = ClusterFactory()
    client.force_login(manager)
    response = client.post(reverse("rooms:room_create"), room_post(other))
    assert "cluster" in response.context["form"].errors
    assert Room.objects.count() == 0


def test_room_with_bookings_cannot_be_deleted(client, member, manager, room, tuesday):
    make_booking(member, room, tuesday)
    client.force_login(manager)
    client.post(reverse("rooms:room_delete", args=[room.pk]))
    assert Room.objects.filter(pk=room.pk).exists()
    empty = RoomFactory(cluster=room.cluster)
    client.post(reverse("rooms:room_delete", args=[empty.pk]))
    assert not Room.objects.filter(pk=empty.pk).exists()


def test_closed_date_added_by_manager_blocks_bookings(client, member, manager, room, tuesday):
    client.force_login(manager)
    client.post(
        reverse("rooms:closed_add", args=[room.pk]),
        {"date": tuesday.isoformat(), "reason": "Elections"},
    )
    assert list(room.closed_dates.values_list("date", "reason")) == [(tuesday, "Elections")]
    client.force_login(member)
    response = post_booking(client, room, date=tuesday.isoformat())
    assert response.context["form"].errors["date"][0].endswith("(Elections).")


def test_booking_factory_scene_does_not_leak_titles_in_finder(
    client, member, other_member, room, tuesday
):
    BookingFactory(
        room=room,
        person=other_member,
        title="Hush",
        start=local_dt(room, tuesday, 9),
        end=local_dt(room, tuesday, 10),
    )
    client.force_login(member)
    response = client.get(reverse("rooms:finder"), {"attendees": 2, "date": tuesday.isoformat()})
    assert "Hush" not in response.content.decode()


def test_finder_lists_bookable_rooms_before_a_search(client, member, cluster, room):
    RoomFactory(cluster=ClusterFactory(), name="Elsewhere")
    RoomFactory(cluster=cluster, name="Retired", is_active=False)
    client.force_login(member)
    response = client.get(reverse("rooms:finder"))
    assert [r.name for r in response.context["rooms"]] == ["Pasteur room"]


def test_booking_form_prefilled_from_a_free_interval(client, member, room, tuesday):
    client.force_login(member)
    url = reverse("rooms:booking_create", args=[room.pk])
    response = client.get(url, {"date": tuesday.isoformat(), "start": "10:30"})
    assert response.context["form"].initial == {
        "date": tuesday.isoformat(),
        "start": "10:30",
        "end": "11:30",
    }
    response = client.get(url, {"date": tuesday.isoformat(), "start": "nonsense"})
    assert response.context["form"].initial == {"date": tuesday.isoformat(), "start": "nonsense"}


def test_week_view_history_restore_gets_the_whole_page(client, member, room):
    client.force_login(member)
    response = client.get(
        reverse("rooms:room_detail", args=[room.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_cancelling_needs_the_ticked_box(client, member, room, tuesday):
    """WCAG 3.3.4: a slip of the finger gives away nothing (portal/confirm.py)."""
    booking = make_booking(member, room, tuesday)
    client.force_login(member)
    page = client.get(reverse("rooms:booking_detail", args=[booking.pk])).content.decode()
    assert 'name="confirm" value="yes" required' in page
    url = reverse("rooms:booking_cancel", args=[booking.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Nothing was cancelled: tick the box to confirm first." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    client.post(url, {"reason": "", "confirm": "yes"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_week_view_shows_past_days_as_past_not_fully_booked(client, member, other_member, room):
    """Issue 15, 2.12: in the current week, the days gone by read "past"."""
    monday = next_weekday(0, weeks_ahead=2)
    make_booking(other_member, room, monday, 9, 10)
    wednesday_noon = local_dt(room, monday + timedelta(days=2), 12)
    with time_machine.travel(wednesday_noon, tick=False):
        client.force_login(member)
        response = client.get(
            reverse("rooms:room_detail", args=[room.pk]), {"week": monday.isoformat()}
        )
    days = response.context["days"]
    assert [[s.kind for s in d["segments"]] for d in days[:3]] == [
        ["past"],
        ["past"],
        ["past", "free"],
    ]
    monday_cells = [row.cells[0].kind for row in response.context["grid"]]
    assert set(monday_cells) == {"past"} and len(monday_cells) == 22  # 08:00-19:00
