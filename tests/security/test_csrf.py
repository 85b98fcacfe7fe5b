"""CSRF: a POST form sent without the token answers 403 and saves nothing; the same
form with the token goes through (so the 403 is the CSRF check, not a permission)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusters.models import IntroductionRequest
from events.models import Registration
from services.counselling.models import CounsellingRequest
from services.rooms.models import Booking


def _weekday_ahead(weeks: int, weekday: int = 1):
    day = timezone.localdate() + timedelta(days=7 * weeks)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def request_create(w):
    return (
        "member_a",
        reverse("services:request_create"),
        reverse("services:request_create"),
        {
            "cluster": w.cluster.pk,
            "category": w.obj["category"].pk,
            "subject": "Help",
            "details": "Please.",
            "urgency": "normal",
            "preferred_format": "online",
        },
        CounsellingRequest,
    )


def booking_create(w):
    url = reverse("rooms:booking_create", kwargs={"pk": w.obj["room"].pk})
    data = {
        "title": "Kick-off",
        "date": _weekday_ahead(3).isoformat(),
        "start": "14:00",
        "end": "16:00",
        "attendees": "4",
        "notes": "",
        "repeat": "",
        "count": "",
        "until": "",
    }
    return "member_b", url, url, data, Booking


def introduction_create(w):
    url = reverse("clusters:introduction_create", kwargs={"slug": w.org_a.slug})
    return "member_b", url, url, {"message": "Can we talk?"}, IntroductionRequest


def registration_create(w):
    slug = w.obj["event"].slug
    return (
        "member_b",
        reverse("events:event_detail", kwargs={"slug": slug}),
        reverse("events:registration_create", kwargs={"slug": slug}),
        {"seat_type": "in_person"},
        Registration,
    )


FORMS = [request_create, booking_create, introduction_create, registration_create]


def _client(world, role) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("form", FORMS, ids=[f.__name__ for f in FORMS])
def test_post_without_csrf_token_is_refused(db, world, form):
    role, _page, url, data, model = form(world)
    before = model.objects.count()
    response = _client(world, role).post(url, data)
    assert response.status_code == 403
    assert model.objects.count() == before


@pytest.mark.parametrize("form", FORMS, ids=[f.__name__ for f in FORMS])
def test_post_with_csrf_token_goes_through(db, world, form):
    role, page, url, data, model = form(world)
    before = model.objects.count()
    client = _client(world, role)
    assert client.get(page).status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert model.objects.count() == before + 1
