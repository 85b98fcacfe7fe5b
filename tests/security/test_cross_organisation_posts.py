"""A member of organisation B who POSTs to a state-changing URL of organisation A's
object gets 404 (not 403, not 200), and nothing in the database changes."""

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories.services import pdf_bytes, upload

from .world import client_for

LOCAL_APPS = {"portal", "clusters", "partners", "services", "rooms", "events", "brokerage"}


def pk(key, **extra):
    return lambda w: {"pk": w.obj[key].pk, **extra}


def slug_pk(slug_key, pk_key):
    return lambda w: {"slug": w.obj[slug_key].slug, "pk": w.obj[pk_key].pk}


def message_with_file(w):
    return {"body": "Injected by B", "attachments": [upload("b.pdf", pdf_bytes())]}


# (URL name, kwargs builder, form data or a builder of it); every object is A's.
POSTS = [
    # counselling requests, their messages and attachments
    ("services:request_move", pk("request", move="withdraw"), {}),
    ("services:request_move", pk("request", move="triage"), {}),
    ("services:request_message", pk("request"), {"body": "Injected by B"}),
    ("services:request_message", pk("request"), message_with_file),
    ("services:request_rate", pk("request"), {"satisfaction": "5", "comment": "x"}),
    # rooms: A's booking and series
    ("rooms:booking_cancel", pk("booking"), {"reason": "B was here", "confirm": "yes"}),
    ("rooms:booking_approve", pk("booking"), {}),
    ("rooms:booking_reject", pk("booking"), {"reason": "B was here"}),
    ("rooms:series_cancel", pk("series"), {"confirm": "yes"}),
    # introductions sent by A; A's profile
    ("clusters:introduction_decide", pk("introduction", decision="accept"), {}),
    ("clusters:introduction_decide", pk("introduction", decision="decline"), {}),
    ("clusters:organisation_edit", lambda w: {"slug": w.org_a.slug}, {"name": "Hacked"}),
    # events: A's registration
    ("events:registration_cancel", pk("registration"), {"confirm": "yes"}),
    ("events:checkin_toggle", slug_pk("event", "registration"), {"attended": "1"}),
    # brokerage: A's meeting request, meeting and participant
    ("brokerage:request_decide", pk("meeting_request", decision="accept"), {}),
    ("brokerage:request_decide", pk("meeting_request", decision="decline"), {}),
    ("brokerage:request_decide", pk("meeting_request", decision="cancel"), {}),
    ("brokerage:meeting_cancel", pk("meeting"), {"confirm": "yes"}),
    ("brokerage:meeting_lock", pk("meeting"), {"locked": "1"}),
    ("brokerage:feedback", pk("meeting"), {"held": "yes", "usefulness": "5"}),
    ("brokerage:request_create", slug_pk("brokerage_event", "participant_a"), {"message": "Hi"}),
    # partner suggestions and notifications of A
    ("partners:suggestion_dismiss", pk("suggestion"), {}),
    ("notification_read", pk("notification"), {}),
]


def snapshot(world) -> dict:
    """Row counts of every model of the portal's apps, and every world object's row."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in LOCAL_APPS
    }
    rows = {
        key: type(obj)._default_manager.filter(pk=obj.pk).values().first()
        for key, obj in world.obj.items()
    }
    rows["org_a"] = type(world.org_a)._default_manager.filter(pk=world.org_a.pk).values().first()
    return {"counts": counts, "rows": rows}


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    POSTS,
    ids=[f"{name}-{i}" for i, (name, _k, _d) in enumerate(POSTS)],
)
def test_member_of_other_organisation_posting_gets_404(db, world, name, kwargs, data):
    url = reverse(name, kwargs=kwargs(world))
    payload = data(world) if callable(data) else data
    before = snapshot(world)
    response = client_for(world, "member_b").post(url, payload)
    assert response.status_code == 404, f"POST {url} as member_b"
    assert snapshot(world) == before


def test_the_posts_cover_every_kind_of_object():
    covered = {name.split(":")[0] + ":" + name.split(":")[-1] for name, _k, _d in POSTS}
    for name in [
        "services:request_move",
        "services:request_message",
        "rooms:booking_cancel",
        "clusters:introduction_decide",
        "events:registration_cancel",
        "brokerage:request_decide",
    ]:
        assert name in covered


def test_snapshot_sees_a_change_made_by_the_owner(db, world):
    """Control: the same kind of POST by A itself goes through and shows in the snapshot
    (so "nothing changed" above is a real check); an attachment (A's file) comes with it."""
    url = reverse("services:request_message", kwargs={"pk": world.obj["request"].pk})
    before = snapshot(world)
    response = client_for(world, "member_a").post(url, message_with_file(world))
    assert response.status_code == 302
    after = snapshot(world)
    assert (
        after["counts"]["services.RequestMessage"]
        == before["counts"]["services.RequestMessage"] + 1
    )
    assert after["counts"]["services.RequestAttachment"] == (
        before["counts"]["services.RequestAttachment"] + 1
    )


# --- a manager of another cluster on the cluster's management URLs ------------------------


def cluster_slug(w):
    return {"slug": w.cluster.slug}


def event_slug(w):
    return {"slug": w.obj["event"].slug}


def brokerage_slug(w):
    return {"slug": w.obj["brokerage_event"].slug}


MANAGER_POSTS = [
    ("clusters:application_decide", pk("application", decision="approve"), {}),
    ("clusters:cluster_edit", cluster_slug, {"name": "Hacked"}),
    ("services:offering_create", cluster_slug, {"title": "Hacked", "description": "x"}),
    ("services:offering_edit", pk("offering"), {"title": "Hacked", "description": "x"}),
    ("services:request_move", pk("request", move="triage"), {}),
    ("services:request_message", pk("request"), {"body": "Injected", "internal": "on"}),
    ("rooms:booking_approve", pk("booking"), {}),
    ("rooms:booking_reject", pk("booking"), {"reason": "x"}),
    ("rooms:booking_cancel", pk("booking"), {"reason": "x", "confirm": "yes"}),
    ("rooms:room_update", pk("room"), {"name": "Hacked"}),
    ("rooms:room_delete", pk("room"), {}),
    ("rooms:closed_add", pk("room"), {"date": "2030-01-01", "reason": "x"}),
    ("rooms:closed_delete", pk("closed"), {}),
    ("events:event_update", event_slug, {"title": "Hacked"}),
    ("events:event_publish", event_slug, {}),
    ("events:event_cancel", event_slug, {"reason": "x"}),
    ("events:checkin_toggle", slug_pk("event", "registration"), {"attended": "1"}),
    ("brokerage:settings", brokerage_slug, {"meeting_minutes": "30"}),
    ("brokerage:schedule_run", brokerage_slug, {}),
    ("brokerage:publish", brokerage_slug, {"status": "final"}),
    ("brokerage:meeting_lock", pk("meeting"), {"locked": "1"}),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    MANAGER_POSTS,
    ids=[f"{name}-{i}" for i, (name, _k, _d) in enumerate(MANAGER_POSTS)],
)
def test_manager_of_another_cluster_posting_gets_404(db, world, name, kwargs, data):
    url = reverse(name, kwargs=kwargs(world))
    before = snapshot(world)
    response = client_for(world, "other_manager").post(url, data)
    assert response.status_code == 404, f"POST {url} as other_manager"
    assert snapshot(world) == before
