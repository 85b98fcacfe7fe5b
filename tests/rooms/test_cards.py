"""Room photos (uploaded in the room form, re-encoded), amenity icons and the
finder's result cards."""

import io
import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from services.rooms.models import Room
from services.rooms.selectors import FittingRoom, FreeTime
from tests.factories.rooms import RoomFactory
from tests.rooms.conftest import local_dt
from tests.rooms.test_views import make_booking, room_post

SPRITE = "/static/icons/amenities.svg"


def jpeg_with_exif(size=(3200, 2400)) -> bytes:
    image = Image.new("RGB", size, (20, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def edit(client, room, **extra):
    data = room_post(room.cluster, name=room.name, **extra)
    return client.post(reverse("rooms:room_update", args=[room.pk]), data)


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# Photo upload in the room edit form ---------------------------------------------------


def test_room_photo_upload_is_re_encoded_scaled_and_stripped(client, manager, room):
    client.force_login(manager)
    upload = SimpleUploadedFile("big.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = edit(client, room, photo_upload=upload, photo_alt="Ten chairs round an oak table")
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.photo.name.startswith("rooms/pasteur-room-") and room.photo.name.endswith(".jpg")
    assert room.photo_alt == "Ten chairs round an oak table"
    with room.photo.open("rb") as fh:
        data = fh.read()
    stored = Image.open(io.BytesIO(data))
    assert (stored.format, stored.size) == ("JPEG", (1600, 1200))
    assert b"SpyCam" not in data and not stored.getexif()


def test_bad_room_photo_is_refused_with_a_message_and_nothing_saved(client, manager, room):
    client.force_login(manager)
    fake = SimpleUploadedFile("room.png", b"GIF89a but not really", content_type="image/png")
    response = edit(client, room, photo_upload=fake, photo_alt="A room", capacity="40")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "photo_upload": ["Upload an image (PNG, JPEG, GIF or WebP); this file is not one."]
    }
    assert "this file is not one." in response.content.decode()
    saved = Room.objects.get(pk=room.pk)
    assert (saved.photo.name, saved.photo_alt, saved.capacity) == ("", "", 10)


def test_room_photo_needs_a_description(client, manager, room):
    client.force_login(manager)
    upload = SimpleUploadedFile("p.jpg", jpeg_with_exif((60, 40)), content_type="image/jpeg")
    response = edit(client, room, photo_upload=upload, photo_alt="  ")
    assert response.context["form"].errors == {
        "photo_alt": ["Say in a few words what the photo shows."]
    }
    assert not Room.objects.get(pk=room.pk).photo


def test_room_page_shows_photo_with_its_description_or_a_placeholder(client, member, room):
    client.force_login(member)
    url = reverse("rooms:room_detail", args=[room.pk])
    html = client.get(url).content.decode()
    assert '<div class="room-photo room-photo-placeholder" aria-hidden="true">' in html
    assert "<span>PR</span>" in html
    room.photo = "rooms/pasteur.jpg"
    room.photo_alt = "Ten chairs round an oak table"
    room.save()
    html = client.get(url).content.decode()
    assert (
        '<img class="room-photo" src="/media/rooms/pasteur.jpg" '
        'alt="Ten chairs round an oak table" width="480" height="320">'
    ) in html
    assert "room-photo-placeholder" not in html


def test_room_photo_without_description_falls_back_to_the_name():
    assert Room(name="Salle Curie", photo="rooms/c.jpg").photo_description == "Photo of Salle Curie"
    assert Room(name="Salle Curie", photo_alt="A lab bench").photo_description == "A lab bench"


def test_room_initials_stand_in_for_a_photo():
    assert [Room(name=n).initials for n in ("Salle Pasteur", "meeting room Meuse", "(B2)")] == [
        "SP",
        "MR",
        "?",
    ]


# Amenities as icons with their text ---------------------------------------------------


def test_amenities_are_icons_with_visible_text_in_a_fixed_order(client, member, room):
    room.amenities = ["wifi", "accessible", "video", "gone-away"]
    room.save()
    assert room.amenity_items == [
        ("video", "Video conferencing"),
        ("accessible", "Accessible access"),
        ("wifi", "Wi-Fi"),
    ]
    client.force_login(member)
    html = client.get(reverse("rooms:room_detail", args=[room.pk])).content.decode()
    items = re.findall(r'<use href="([^"]+)"></use></svg>([^<]*)</li>', html)
    assert items == [
        (f"{SPRITE}#amenity-video", "Video conferencing"),
        (f"{SPRITE}#amenity-accessible", "Accessible access"),
        (f"{SPRITE}#amenity-wifi", "Wi-Fi"),
    ]
    assert html.count('<svg class="icon" aria-hidden="true" focusable="false">') == 4  # + people


def test_sprite_has_a_symbol_for_every_amenity():
    from services.rooms.enums import Amenity

    with open("static/icons/amenities.svg") as fh:
        ids = set(re.findall(r'<symbol id="([^"]+)"', fh.read()))
    assert {f"amenity-{code}" for code in Amenity.values} | {"icon-people", "icon-room"} == ids


# The finder's cards -------------------------------------------------------------------


def test_free_times_offer_the_slot_asked_for_or_one_as_long_from_each_start():
    def at(h, m=0):
        return datetime(2027, 3, 9, h, m, tzinfo=UTC)

    room = Room(name="R")
    free = [(at(8), at(10)), (at(11, 2), at(11, 30)), (at(13), at(18))]
    asked = FittingRoom(room=room, free=free, wanted=(at(14), at(15)))
    assert asked.free_times() == [
        FreeTime(at(8), at(10), at(8), at(9)),
        FreeTime(at(11, 2), at(11, 30), None, None),  # too short for an hour
        FreeTime(at(13), at(18), at(14), at(15)),  # the slot asked for
    ]
    any_time = FittingRoom(room=room, free=free, wanted=None)
    assert [(t.book_start, t.book_end) for t in any_time.free_times()] == [
        (at(8), None),
        (at(11, 5), None),  # rounded up to 5 minutes
        (at(13), None),
    ]


def test_finder_cards_show_the_room_and_its_free_times_as_booking_buttons(
    client, member, cluster, room
):
    day = date(2027, 3, 9)  # a Tuesday
    room.location = "Building B, ground floor"
    room.amenities = ["whiteboard"]
    room.save()
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=UTC), tick=False):
        make_booking(member, room, day, 10, 12)
        client.force_login(member)
        response = client.get(
            reverse("rooms:finder"),
            {"attendees": 6, "date": day.isoformat(), "start": "14:00", "end": "15:30"},
        )
    [card] = response.context["results"]
    assert (card["room"], card["day"], card["is_today"]) == (room, day, False)
    book = reverse("rooms:booking_create", args=[room.pk])
    assert [(t["start"], t["end"], t["url"]) for t in card["free"]] == [
        (
            local_dt(room, day, 8),
            local_dt(room, day, 10),
            f"{book}?date=2027-03-09&attendees=6&start=08%3A00&end=09%3A30",
        ),
        (
            local_dt(room, day, 12),
            local_dt(room, day, 19),
            f"{book}?date=2027-03-09&attendees=6&start=14%3A00&end=15%3A30",
        ),
    ]
    html = response.content.decode()
    card_html = html[html.index('<li class="card room-card">') :]
    card_html = card_html[: card_html.index("</li>\n\n")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card_html)).strip()
    assert text == (
        "PR Pasteur room Genopole Test · Building B, ground floor up to 10 people · Meeting room "
        "Whiteboard Free on Tuesday 9 March "
        "Book in the free time 08:00–10:00 Book in the free time 12:00–19:00 Book 14:00–15:30"
    )
    assert 'aria-hidden="true"><svg class="icon" focusable="false">' in card_html  # placeholder
    assert f'<use href="{SPRITE}#icon-people">' in card_html
    assert "Today" not in card_html


def test_finder_marks_today(client, member, room):
    day = date(2027, 3, 9)
    with time_machine.travel(datetime(2027, 3, 9, 7, 0, tzinfo=UTC), tick=False):  # 08:00 Paris
        make_booking(member, room, day, 9, 17, title="Workshop")
        make_booking(member, room, day, 17, 18, title="Wrap-up")
        client.force_login(member)
        response = client.get(
            reverse("rooms:finder"), {"attendees": 2, "date": day.isoformat(), "duration": 60}
        )
    [card] = response.context["results"]
    assert card["is_today"] is True
    assert [(t["start"], t["end"]) for t in card["free"]] == [
        (local_dt(room, day, 8), local_dt(room, day, 9)),
        (local_dt(room, day, 18), local_dt(room, day, 19)),
    ]
    assert query(card["free"][0]["url"]) == {
        "date": "2027-03-09",
        "attendees": "2",
        "start": "08:00",
        "end": "09:00",
    }
    html = response.content.decode()
    assert 'Free on Tuesday 9 March <span class="badge badge-accent">Today</span>' in re.sub(
        r"\s+", " ", html
    )


def test_finder_lists_bookable_rooms_as_cards_before_a_search(client, member, room):
    client.force_login(member)
    html = client.get(reverse("rooms:finder")).content.decode()
    assert '<ul class="card-list room-cards" aria-labelledby="rooms-heading">' in html
    assert html.count('<li class="card room-card">') == 1
    assert "Free on" not in html


@pytest.mark.parametrize("n", [1, 3])
def test_finder_cards_before_a_search_query_count(
    client, member, cluster, n, django_assert_num_queries
):
    for _i in range(n):
        RoomFactory(cluster=cluster, photo="rooms/r.jpg", photo_alt="A room")
    client.force_login(member)
    url = reverse("rooms:finder")
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count('<li class="card room-card">') == n


def test_finder_title_says_how_many_rooms_fit(client, member, room, tuesday):
    client.force_login(member)
    response = client.get(reverse("rooms:finder"), {"attendees": 2, "date": tuesday.isoformat()})
    assert "<title>1 room fits – Find a room" in response.content.decode()
