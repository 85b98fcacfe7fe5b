import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from portal.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    # Unit tests run tasks in-process; tests/integration runs a real worker instead.
    celery_app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests hash many passwords; the production hasher stays second so stored
    # PBKDF2 hashes (factories, demo data) still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _language_of_the_settings():
    """Every test starts in settings.LANGUAGE_CODE: a request of a German account leaves
    German active in the thread (LocaleMiddleware activates, nothing deactivates), and
    the next test in that process would read German."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


def require_or_skip(ok: bool, reason: str) -> None:
    """Outside CI a missing service skips with the reason; in CI it fails."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def cluster(db):
    from tests.factories import ClusterFactory

    return ClusterFactory(name="Genopole Test", slug="genopole-test")


@pytest.fixture
def member(cluster):
    """Admin of an SME that is an active member of `cluster`."""
    from tests.factories import UserFactory

    return UserFactory(email="member@example.org", member_of=cluster)


@pytest.fixture
def other_member(cluster):
    """Admin of another organisation in the same cluster."""
    from tests.factories import UserFactory

    return UserFactory(email="other@example.org", member_of=cluster)


@pytest.fixture
def manager(cluster):
    from tests.factories import ClusterRoleFactory, UserFactory

    user = UserFactory(email="manager@example.org")
    ClusterRoleFactory(user=user, cluster=cluster, role="manager")
    return user


@pytest.fixture
def advisor(cluster):
    from tests.factories import ClusterRoleFactory, UserFactory

    user = UserFactory(email="advisor@example.org")
    ClusterRoleFactory(user=user, cluster=cluster, role="advisor")
    return user
