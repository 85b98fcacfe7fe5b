"""Every relation to a person is either in the data export or declared not personal."""

import sys
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from clusters.models import Organisation
from portal import privacy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _related_fields(target):
    """'app_label.Model.field' of every FK, one-to-one and many-to-many to `target`."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation:
                continue
            if not isinstance(
                field, (models.ForeignKey, models.OneToOneField, models.ManyToManyField)
            ):
                continue
            if field.related_model is target:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def _registries():
    exported, not_personal = {}, {}
    for app, module in privacy.privacy_modules():
        for key, section in module.EXPORTED.items():
            exported[key] = (app, section)
        not_personal.update(module.NOT_PERSONAL)
    return exported, not_personal


def _walked():
    User = apps.get_model(settings.AUTH_USER_MODEL)
    # Relations to the person, and to their organisation (an organisation's rows can
    # hold a person's data too: invitations, introductions, bookings).
    return _related_fields(User) | _related_fields(Organisation)


def _unaccounted() -> list[str]:
    exported, not_personal = _registries()
    return sorted(_walked() - set(exported) - set(not_personal))


def test_every_relation_to_a_person_is_exported_or_declared_not_personal():
    unaccounted = _unaccounted()
    assert unaccounted == [], (
        "Add these to EXPORTED (and the export) or to NOT_PERSONAL with a reason "
        f"in the app's privacy module: {unaccounted}"
    )
    exported, not_personal = _registries()
    assert sorted(set(exported) & set(not_personal)) == []
    assert sorted(k for k, reason in not_personal.items() if len(reason.strip()) < 20) == []
    # No stale entries: each declared relation exists.
    assert sorted((set(exported) | set(not_personal)) - _walked()) == []


def test_the_walk_catches_a_relation_nobody_declared(monkeypatch):
    from services.counselling import privacy as services_privacy

    exported = dict(services_privacy.EXPORTED)
    del exported["services.CounsellingRequest.requester"]
    monkeypatch.setattr(services_privacy, "EXPORTED", exported)
    assert _unaccounted() == ["services.CounsellingRequest.requester"]


def test_exported_relations_have_their_section_in_the_export():
    person = UserFactory()
    data = privacy.personal_data_export(user=person)
    exported, _not_personal = _registries()
    missing = sorted(
        f"{key} -> {app}.{section}"
        for key, (app, section) in exported.items()
        if section not in data[privacy.SECTION_NAMES.get(app, app)]
    )
    assert missing == []


def test_every_project_app_has_a_privacy_module():
    base, venv = str(settings.BASE_DIR), sys.prefix
    project_apps = [
        c.name
        for c in apps.get_app_configs()
        if c.path.startswith(base)
        and not c.path.startswith(venv)
        # The composition layer (portal) holds no models, so no personal data.
        and c.models_module is not None
    ]
    assert sorted(project_apps) == sorted(app for app, _module in privacy.privacy_modules())
    assert sorted(project_apps) == sorted(
        [
            "portal.base",
            "clusters",
            "clusters.memberships",
            "clusters.newsletters",
            "clusters.partners",
            "services.catalogue",
            "services.counselling",
            "services.rooms",
            "events",
            "events.brokerage",
        ]
    )


def test_a_missing_privacy_module_is_an_error(monkeypatch):
    real = import_module

    def without_rooms(name, *args, **kwargs):
        if name == "services.rooms.privacy":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(privacy, "import_module", without_rooms)
    with pytest.raises(ImproperlyConfigured, match=r"services\.rooms\.privacy"):
        list(privacy.privacy_modules())
    with pytest.raises(ImproperlyConfigured):
        privacy.personal_data_export(user=UserFactory())
    # ... and `manage.py check` says so before anyone asks for their data.
    assert [e.id for e in privacy.check_privacy_modules()] == ["portal.E001"]
    assert "services.rooms.privacy" in privacy.check_privacy_modules()[0].msg


def test_the_system_check_passes_with_every_module_present():
    assert privacy.check_privacy_modules() == []
