"""Files chosen in a form that comes back with errors are kept (WCAG 3.3.7).

Browsers cannot refill a file field, so a member whose request came back for a
missing subject would have to find their files again. Instead, files that passed
the content check are stored privately under ``held/`` and listed in the session
under the form's key; the form shows them as kept (a ticked box each, untick to
drop) and the next valid submission attaches them, checked again by the action.
Only the session that chose a file can use it; beat deletes leftovers after a day.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone

from .uploads import MAX_FILES

SESSION_KEY = "held_uploads"
FIELD = "attachments_kept"
MAX_AGE = timedelta(days=1)
# A held file's name starts with the time it was held (the portal's clock, not the
# file system's: both agree in production, and tests may move the portal's).
STAMP = "%Y%m%dT%H%M%SZ"


class HeldUploads:
    def __init__(self, request, key: str):
        self.session = request.session
        self.key = key

    def entries(self) -> list[dict]:
        return list(self.session.get(SESSION_KEY, {}).get(self.key, []))

    def files(self, ids) -> list[File]:
        """The kept files whose ids were sent back (ticked), as files to attach."""
        storage = storages["private"]
        wanted = set(ids)
        found = []
        for entry in self.entries():
            if entry["id"] in wanted and storage.exists(entry["stored"]):
                f = File(storage.open(entry["stored"], "rb"), name=entry["original"])
                f.held_id = entry["id"]
                found.append(f)
        return found

    def update(self, kept_ids, new_files) -> None:
        """After a failed submission: drop the unticked files, hold the new ones."""
        storage = storages["private"]
        kept_ids = set(kept_ids)
        entries = []
        for entry in self.entries():
            if entry["id"] in kept_ids:
                entries.append(entry)
            else:
                storage.delete(entry["stored"])
        for f in new_files[: max(0, MAX_FILES - len(entries))]:
            name = (getattr(f, "name", "") or "file").rsplit("/", 1)[-1][:255]
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
            f.seek(0)
            held_at = timezone.now().strftime(STAMP)
            stored = storage.save(f"held/{held_at}-{uuid.uuid4().hex}.{ext}", f)
            entries.append(
                {"id": uuid.uuid4().hex, "stored": stored, "original": name, "size": f.size}
            )
        self._save(entries)

    def release(self) -> None:
        """After a successful submission (the files were copied) or a fresh form."""
        storage = storages["private"]
        for entry in self.entries():
            storage.delete(entry["stored"])
        self._save([])

    def _save(self, entries: list[dict]) -> None:
        if entries == self.entries():
            return  # unchanged: no session write (a plain visit of the form)
        held = dict(self.session.get(SESSION_KEY, {}))
        if entries:
            held[self.key] = entries
        else:
            held.pop(self.key, None)
        self.session[SESSION_KEY] = held


def hold_after_error(held: HeldUploads, form, request) -> None:
    """A form came back with errors: keep its ticked and its new valid files, and
    show them in the form (the file field's widget lists them)."""
    new = []
    if "attachments" not in form.errors:
        new = [f for f in form.cleaned_data.get("attachments", []) if not hasattr(f, "held_id")]
    held.update(request.POST.getlist(FIELD), new)
    form.fields["attachments"].widget.held = held.entries()


def delete_stale_held_uploads(now=None) -> int:
    """Files held for a form that was never sent again (beat, daily)."""
    storage = storages["private"]
    limit = (now or timezone.now()) - MAX_AGE
    try:
        _dirs, names = storage.listdir("held")
    except FileNotFoundError:
        return 0
    stale = [n for n in names if _held_at(storage, n) < limit]
    for name in stale:
        storage.delete(f"held/{name}")
    return len(stale)


def _held_at(storage, name: str) -> datetime:
    try:
        return datetime.strptime(name.split("-", 1)[0], STAMP).replace(tzinfo=UTC)
    except ValueError:  # held before names carried the time
        return storage.get_modified_time(f"held/{name}")
