"""A request's files: checked before anything is written, stored in the private
storage inside the request's transaction, removed again when it rolls back."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from portal.base.errors import ActionError

from ..models import RequestAttachment
from ..uploads import MAX_FILES, validate_attachment


def validate_files(files) -> list[tuple[object, str, str]]:
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ActionError(_("Attach at most %(n)d files.") % {"n": MAX_FILES}, field="attachments")
    checked = []
    for f in files:
        try:
            content_type, ext = validate_attachment(f)
        except ValidationError as exc:
            raise ActionError(" ".join(exc.messages), field="attachments") from exc
        checked.append((f, content_type, ext))
    return checked


def store_files(req, message, checked, actor, saved: list[str]) -> None:
    storage = storages["private"]
    for f, content_type, ext in checked:
        f.seek(0)
        name = storage.save(f"requests/{req.pk}/{uuid.uuid4().hex}.{ext}", f)
        saved.append(name)
        RequestAttachment.objects.create(
            request=req,
            message=message,
            stored_name=name,
            original_name=(getattr(f, "name", "") or f"file.{ext}").rsplit("/", 1)[-1][:255],
            content_type=content_type,
            size=f.size,
            uploaded_by=actor,
        )


def discard_files(saved: list[str]) -> None:
    storage = storages["private"]
    for name in saved:
        storage.delete(name)
