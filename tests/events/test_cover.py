"""The cover image: uploaded by a manager, re-encoded, shown with its alt text; and
the event page's seat states (in person full, online still free)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Event
from tests.factories.clusters import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

from .test_views import _form_data


def _png(size=(40, 20)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 80)).save(out, format="PNG", pnginfo=None)
    return SimpleUploadedFile("cover.png", out.getvalue(), content_type="image/png")


def test_manager_uploads_a_cover_it_is_reencoded_and_shown_with_alt(client, manager, cluster):
    client.force_login(manager)
    data = _form_data(cluster=cluster.pk, cover=_png(), cover_alt="Posters in the Genopole hall")
    response = client.post(reverse("events:event_create"), data)
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.cover.name.startswith("event-covers/hybrid-networking-")
    assert event.cover.name.endswith(".jpg")
    with event.cover.open("rb") as f:
        assert Image.open(f).format == "JPEG"
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'src="{event.cover.url}" alt="Posters in the Genopole hall"' in html


def test_a_file_that_is_not_an_image_gets_a_field_message(client, manager, cluster):
    client.force_login(manager)
    bad = SimpleUploadedFile("cover.png", b"%PDF-1.4 not an image", content_type="image/png")
    data = _form_data(cluster=cluster.pk, cover=bad, cover_alt="x")
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["cover"] == [
        "Upload an image (PNG, JPEG, GIF or WebP); this file is not one."
    ]
    assert "this file is not one." in response.content.decode()
    assert Event.objects.count() == 0


def test_a_cover_needs_its_description(client, manager, cluster):
    client.force_login(manager)
    response = client.post(
        reverse("events:event_create"), _form_data(cluster=cluster.pk, cover=_png())
    )
    assert response.context["form"].errors["cover_alt"] == [
        "Say in a few words what the cover image shows."
    ]
    assert Event.objects.count() == 0


def test_manager_clears_the_cover(client, manager, cluster, django_capture_on_commit_callbacks):
    client.force_login(manager)
    client.post(
        reverse("events:event_create"),
        _form_data(cluster=cluster.pk, cover=_png(), cover_alt="Hall"),
    )
    event = Event.objects.get()
    stored = event.cover.name
    data = _form_data(**{"cover-clear": "on", "cover_alt": ""})
    data.pop("cluster")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:event_update", args=[event.slug]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.cover.name, event.cover_alt) == ("", "")
    assert not event.cover.storage.exists(stored)


@pytest.mark.django_db
def test_hybrid_page_in_person_full_online_free(client, cluster, member):
    event = EventFactory(cluster=cluster, format="hybrid", capacity=2, online_capacity=40)
    for _ in range(2):
        RegistrationFactory(event=event, user=UserFactory(member_of=cluster))
    RegistrationFactory(event=event, seat_type="online", user=UserFactory(member_of=cluster))
    client.force_login(member)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "In person:\n      <strong>Full</strong>" in html
    assert "<strong>39 of 40 seats left</strong>" in html
    assert '<meter min="0" max="2" value="2"' in html
    assert "Online seats are still free." in html
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "outlook.live.com/calendar/0/deeplink/compose?" in html
    assert reverse("events:event_ics", args=[event.slug]) in html
    assert "https://www.openstreetmap.org/search?query=1%20rue%20de%20l%27Innovation" in html
    assert f'value="http://testserver{event.get_absolute_url()}" readonly' in html


@pytest.mark.django_db
def test_page_with_free_seats_does_not_say_online_free(client, cluster, member):
    event = EventFactory(cluster=cluster, format="hybrid", capacity=40, online_capacity=40)
    for _ in range(28):
        RegistrationFactory(event=event, user=UserFactory(member_of=cluster))
    client.force_login(member)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>12 of 40 seats left</strong>" in html
    assert "Online seats are still free." not in html
