"""The shared world of tests/security: built once per module, rolled back after it."""

import pytest
from django.db import transaction
from django.test import override_settings

from .world import build_world


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
