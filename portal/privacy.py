"""GDPR: a person's data export and account deletion.

Every project app contributes through its privacy module (`<app>.privacy`;
`portal.base.privacy` for the shared base; this module composes them).
A project app without one is an error, never a silent skip. Each module has:

- `export_personal_data(user) -> dict`: the app's section of the export;
- `anonymise_personal_data(user) -> None`: its part of the account deletion;
- `EXPORTED = {"app_label.Model.field": "key"}`: the relations to a person (or
  to their organisation) that the export covers, and under which key of the
  app's section;
- `NOT_PERSONAL = {"app_label.Model.field": "reason"}`: the relations that are
  deliberately left out, with the reason;
- optionally `export_personal_files(user)`: `(name in the archive, storage,
  stored name)` for the person's files (their request attachments).

tests/portal/test_privacy_coverage.py walks every model and fails on a
relation that is in neither registry.

Records others rely on (a request's history, an event's attendance) are kept
and shown as written by "former member". Before anything is anonymised the
person's upcoming bookings and registrations are cancelled through the usual
actions, so waitlists move up and managers are told.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.enums import OrgRole
from portal.base.errors import ActionError

ARCHIVE_JSON = "my-portal-data.json"
# The archive's sections are named by app; the shared base and counselling keep the names
# they had before the layout change, so tools that read earlier archives read this one too.
# The catalogue, once part of counselling, adds to its section (and holds no personal data).
SECTION_NAMES = {
    "portal.base": "portal",
    "services.catalogue": "services",
    "services.counselling": "services",
}
REQUIRED = ("export_personal_data", "anonymise_personal_data", "EXPORTED", "NOT_PERSONAL")


def project_apps() -> list[str]:
    """The installed apps that are part of this project (not Django's, not allauth's)."""
    base = Path(settings.BASE_DIR).resolve()
    names = []
    for config in apps.get_app_configs():
        top = config.name.split(".")[0]
        ours = (base / top).is_dir() and Path(config.path).resolve().is_relative_to(base / top)
        # An app without models (the composition layer) holds no personal data.
        if ours and config.models_module is not None:
            names.append(config.name)
    return names


def _module_name(app: str) -> str:
    return f"{app}.privacy"


def privacy_modules():
    """(app, module) for every project app, in INSTALLED_APPS order."""
    for app in project_apps():
        name = _module_name(app)
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            raise ImproperlyConfigured(
                f"{app} holds no privacy module ({name}): every app must say what it "
                "exports and what it removes when an account is deleted."
            ) from exc
        missing = [attr for attr in REQUIRED if not hasattr(module, attr)]
        if missing:
            raise ImproperlyConfigured(f"{name} lacks {', '.join(missing)}.")
        yield app, module


def check_privacy_modules(app_configs=None, **kwargs) -> list[checks.Error]:
    """System check: `manage.py check` (and so every start and CI) fails when a
    project app has no privacy module, rather than the export silently leaving it out."""
    try:
        list(privacy_modules())
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="portal.E001")]
    return []


def personal_data_export(*, user) -> dict:
    data: dict = {"exported_at": timezone.now().isoformat()}
    for app, module in privacy_modules():
        data.setdefault(SECTION_NAMES.get(app, app), {}).update(module.export_personal_data(user))
    return data


def personal_data_archive(*, user):
    """The export as a zip: the JSON and the person's files. Returns an open
    temporary file positioned at the start (spooled to disk when large)."""
    data = personal_data_export(user=user)
    # Returned open: the FileResponse that streams it closes it.
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    missing = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _app, module in privacy_modules():
            for arcname, storage, stored_name in getattr(
                module, "export_personal_files", lambda _user: ()
            )(user):
                try:
                    # Opened first: a missing file adds no empty entry to the archive.
                    with (
                        storage.open(stored_name, "rb") as fh,
                        archive.open(arcname, "w") as target,
                    ):
                        shutil.copyfileobj(fh, target, 1024 * 1024)
                except FileNotFoundError:
                    missing.append(arcname)
        if missing:
            data["files_missing"] = missing
        archive.writestr(ARCHIVE_JSON, json.dumps(data, indent=2, ensure_ascii=False, default=str))
    out.seek(0)
    return out


def account_delete(*, user) -> None:
    """Cancel what is still to come, then anonymise the person everywhere; refuse
    if it would orphan their organisation.

    The apps are called in reverse order, so the portal's own part (the email
    address, the name, the sign-in methods) goes last: the cancellations before it
    still know who cancelled and can tell the people concerned.
    """
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
        for _app, module in reversed(list(privacy_modules())):
            module.anonymise_personal_data(user)
