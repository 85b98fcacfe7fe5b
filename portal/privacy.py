"""GDPR: a person's data export and account deletion.

Each app contributes through `<app>.privacy` with two functions:
`export_personal_data(user) -> dict` and `anonymise_personal_data(user) -> None`.
Records others rely on (a request's history, an event's attendance) are kept
and shown as written by "former member".
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.enums import OrgRole
from clusters.errors import ActionError

APPS = ["portal", "clusters", "services", "services.rooms", "events", "events.brokerage"]


def _privacy_modules():
    for app in APPS:
        name = f"{app}.privacy_data" if app == "portal" else f"{app}.privacy"
        if find_spec(name) is not None:
            yield app, import_module(name)


def personal_data_export(*, user) -> dict:
    data: dict = {"exported_at": timezone.now().isoformat()}
    for app, module in _privacy_modules():
        data[app] = module.export_personal_data(user)
    return data


def account_delete(*, user) -> None:
    """Anonymise the person everywhere; refuse if it would orphan their organisation."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_org_admin:
            others = User.objects.filter(
                organisation_id=user.organisation_id, is_active=True
            ).exclude(pk=user.pk)
            if others.exists() and not others.filter(org_role=OrgRole.ADMIN).exists():
                raise ActionError(
                    _(
                        "You are your organisation's only admin. Make a colleague admin before you delete your account."
                    )
                )
        for _app, module in _privacy_modules():
            module.anonymise_personal_data(user)
