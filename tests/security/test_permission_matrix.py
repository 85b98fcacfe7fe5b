"""Every portal URL, requested with GET by every role, answers as declared in matrix.py.

The URL names come from walking the resolver, so a new URL is part of the test the
moment it is routed: without a declaration in tests/security/matrix.py it fails.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from .matrix import LOGIN, MATRIX, Redirect, portal_routes, walk
from .world import ROLES, client_for

# People who must never read A's confidential texts (world.SECRETS) on a 200 page.
OUTSIDERS = ("anonymous", "member_b", "other_manager")

ROUTES = portal_routes()
NAMES = [r.name or f"<unnamed {r.route}>" for r in ROUTES]


def observed(response, url: str):
    """The answer in matrix terms: LOGIN, ('302', location) or the status code."""
    if response.status_code == 302:
        location = response["Location"]
        if location == f"{reverse('account_login')}?next={quote(url)}":
            return LOGIN
        return ("302", location)
    return response.status_code


def expected_answer(expect, world):
    if isinstance(expect, Redirect):
        return ("302", expect.url(world))
    return expect


def test_every_route_is_named():
    unnamed = [r.route for r in ROUTES if r.name is None]
    assert unnamed == [], "give these URL patterns a name and declare them in matrix.py"


def test_no_stale_declarations():
    routed = {r.name for r in walk()}
    assert sorted(set(MATRIX) - routed) == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", NAMES)
def test_permission_matrix(db, world, name, role):
    if name not in MATRIX:
        pytest.fail(
            f"declare the expected answers for {name} in tests/security/matrix.py",
            pytrace=False,
        )
    declared = MATRIX[name]
    url = reverse(name, kwargs=declared.kwargs(world))
    response = client_for(world, role).get(url)
    want = expected_answer(declared.answers[role], world)
    assert observed(response, url) == want, f"GET {url} as {role}"
    if role in OUTSIDERS and response.status_code == 200 and not declared.capability:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        leaked = [s for s in world.secrets if s.encode() in body]
        assert leaked == [], f"GET {url} as {role} shows organisation A's data"


# --- the Django admin (excluded from the matrix) ------------------------------------------


def _admin_urls(world):
    return [
        reverse("admin:index"),
        reverse("admin:services_counsellingrequest_changelist"),
        reverse("admin:services_counsellingrequest_change", args=[world.obj["request"].pk]),
        reverse("admin:rooms_booking_change", args=[world.obj["booking"].pk]),
    ]


def test_admin_sends_anonymous_to_login(db, world):
    client = Client()
    for url in _admin_urls(world):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1] == (
            f"{reverse('account_login')}?next={quote(url)}",
            302,
        ), url
        assert response.status_code == 200


@pytest.mark.parametrize("role", ["member_a", "member_b", "manager", "network_admin"])
def test_admin_keeps_people_without_admin_rights_out(db, world, role):
    client = client_for(world, role)
    for url in _admin_urls(world):
        response = client.get(url, follow=True)
        assert response.status_code == 404, (url, response.redirect_chain)
        assert world.obj["request"].subject not in response.content.decode()


# --- a ?cluster= filter never widens what a manager of another cluster sees ---------------

FILTERED_PAGES = [
    "services:queue",
    "services:queue_export",
    "services:assigned",
    "services:request_list",
    "rooms:booking_manage_list",
    "rooms:approval_queue",
    "rooms:utilisation",
    "events:event_manage",
    "insights",
    "dashboard",
]


@pytest.mark.parametrize("name", FILTERED_PAGES)
@pytest.mark.parametrize("role", ["member_b", "other_manager"])
def test_cluster_filter_does_not_widen_scope(db, world, name, role):
    client = client_for(world, role)
    for value in (world.cluster.pk, world.cluster.slug):
        response = client.get(reverse(name), {"cluster": value})
        # 400: the CSV export names a cluster value outside the person's scope as unknown.
        assert response.status_code in (200, 302, 400, 404), (name, value)
        if response.status_code in (200, 400):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert [s for s in world.secrets if s.encode() in body] == [], (name, value)
