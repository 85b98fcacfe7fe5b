"""Every portal URL, requested with GET by every role, answers as declared in matrix.py.

The URL names come from walking the resolver, so a new URL is part of the test the
moment it is routed: without a declaration in tests/security/matrix.py it fails.
"""

from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from .matrix import LOGIN, MATRIX, Redirect, portal_routes, walk
from .world import ROLES, build_world

ROUTES = portal_routes()
NAMES = [r.name or f"<unnamed {r.route}>" for r in ROUTES]


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-world")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_dir):
    """Built once for the module inside a transaction that is rolled back at the end;
    each test runs in its own savepoint inside it (pytest-django's `db`)."""
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": world_dir / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": world_dir / "private", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=storages), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _world_files(_media_in_tmp, settings, world_dir):
    """The world's attachment lives in the module's folder, not the test's."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": world_dir / "private", "base_url": None},
        },
    }


def client_for(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


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
