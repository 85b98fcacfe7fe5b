"""Event reminders, sent exactly once.

How it works (see docs/events.md):

1. `find_due()` (run by the beat task every minute) lists, per event and
   offset, the confirmed registrations whose reminder is due (due time passed,
   event not started, registration made before the due time) and that have no
   delivery row yet, or only a claim. The beat task fans them out in chunks.
2. `deliver_chunk()` CLAIMS each reminder by inserting a ReminderDelivery row
   (unique on registration + offset; INSERT ... ON CONFLICT DO NOTHING) carrying
   a fresh claim token, then selects the rows holding its token: a reminder
   claimed by another run is left alone. Claims abandoned by a dead worker
   (same host and its process is gone, or older than the stale limit) are taken
   over by moving them to the new token.
3. Each claimed reminder is sent over the chunk's single SMTP connection, then
   at once marked sent (only if the row still holds our token) (one statement that also
   records the in-app notice). A crash before the mark leaves the row
   "claimed" and it is sent again by a later run; the only window for a
   duplicate is a kill between the mail server accepting the message and
   PostgreSQL receiving the mark, a few microseconds of Python.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import ngettext

from portal.base.models import Notification
from portal.base.notifications import render_plain
from portal.base.zones import own_zone

from .enums import DeliveryStatus, EventStatus, RegistrationStatus, SeatType
from .ics import event_ics
from .models import Event, Registration, ReminderDelivery
from .reminder_mail import NAME_TEXT, PlaceholderPerson, ReminderTemplate

log = logging.getLogger(__name__)

CHUNK_SIZE = 200
MAX_OFFSET = timedelta(days=30)


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "EVENTS_REMINDER_STALE_SECONDS", 600))


# Who holds a claim ------------------------------------------------------------


def _proc_start(pid: int) -> str | None:
    """The process start time (clock ticks since boot), or None if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] in ("Z", "X"):
        return None
    return fields[19]


def worker_identity() -> str:
    """host:pid:start — the start time tells a reused pid from the original process."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_proc_start(pid) or ''}"


def claim_abandoned(claimed_by: str, claimed_at: datetime, now: datetime) -> bool:
    """A claim may be taken over when its worker is known to be dead (same host,
    process gone) or, for workers on other hosts, after the stale limit."""
    if claimed_at < now - stale_after():
        return True
    host, _, rest = claimed_by.partition(":")
    pid, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit() or not os.path.isdir("/proc"):
        return False
    return _proc_start(int(pid)) != (start or _proc_start(int(pid)))


# Finding what is due --------------------------------------------------------------


@dataclass(frozen=True)
class DueGroup:
    event_id: int
    offset: int
    registration_ids: list[int]


def find_due(now: datetime | None = None) -> list[DueGroup]:
    now = now or timezone.now()
    groups = []
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, start__gt=now, start__lte=now + MAX_OFFSET
    ).only("id", "start", "reminder_offsets")
    for event in events:
        for offset in event.reminder_offsets or []:
            due = event.start - timedelta(minutes=offset)
            if due > now:
                continue
            done = ReminderDelivery.objects.filter(
                registration=OuterRef("pk"),
                offset_minutes=offset,
                status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED],
            )
            ids = list(
                Registration.objects.filter(
                    event=event, status=RegistrationStatus.CONFIRMED, created__lte=due
                )
                .exclude(Exists(done))
                .order_by("id")
                .values_list("id", flat=True)
            )
            if ids:
                groups.append(DueGroup(event.pk, offset, ids))
    return groups


def chunks(ids: list[int], size: int = CHUNK_SIZE):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


# Claiming ------------------------------------------------------------------------


def claim(event_id: int, offset: int, registration_ids: list[int]) -> str:
    """Claim these reminders for this run; returns the claim token."""
    token = uuid.uuid4().hex
    me = worker_identity()
    now = timezone.now()
    with transaction.atomic():
        ReminderDelivery.objects.bulk_create(
            [
                ReminderDelivery(
                    registration_id=rid,
                    offset_minutes=offset,
                    status=DeliveryStatus.CLAIMED,
                    claim_token=token,
                    claimed_by=me,
                    claimed_at=now,
                )
                for rid in registration_ids
            ],
            ignore_conflicts=True,
        )
    others = ReminderDelivery.objects.filter(
        registration_id__in=registration_ids, offset_minutes=offset, status=DeliveryStatus.CLAIMED
    ).exclude(claim_token=token)
    by_token: dict[str, list[int]] = defaultdict(list)
    for pk, old, claimed_by, claimed_at in others.values_list(
        "pk", "claim_token", "claimed_by", "claimed_at"
    ):
        if claim_abandoned(claimed_by, claimed_at, now):
            by_token[old].append(pk)
    for old, pks in by_token.items():
        # Conditional on the old token: two runs cannot both take over one claim.
        taken = ReminderDelivery.objects.filter(
            pk__in=pks, claim_token=old, status=DeliveryStatus.CLAIMED
        ).update(claim_token=token, claimed_by=me, claimed_at=now)
        if taken:
            log.warning("took over %s abandoned reminder claims", taken)
    return token


# Sending -------------------------------------------------------------------------


class Notice(NamedTuple):
    """The in-app notice of a reminder (a portal Notification row once sent)."""

    recipient_id: int
    subject: str
    body: str
    url: str


class _Renderer:
    """Renders each kind of reminder once (see events.reminder_mail)."""

    def __init__(self):
        self._templates: dict[tuple, ReminderTemplate] = {}

    def template(self, delivery) -> ReminderTemplate:
        reg = delivery.registration
        language = reg.user.language or settings.LANGUAGE_CODE
        zone = own_zone(reg.user)
        key = (reg.event_id, delivery.offset_minutes, language, reg.seat_type, zone)
        if key not in self._templates:
            self._templates[key] = self._build(delivery, language, zone)
        return self._templates[key]

    def _build(self, delivery, language: str, zone: str) -> ReminderTemplate:
        reg = delivery.registration
        event = reg.event
        tz = event.cluster.tzinfo
        show_link = bool(event.online_link) and (
            reg.seat_type == SeatType.ONLINE or event.format == "online"
        )
        ctx = {
            "event": event,
            "registration": reg,
            "offset": delivery.offset_minutes,
            "local_start": event.start.astimezone(tz),
            "local_end": event.end.astimezone(tz),
            "online_link": event.online_link if show_link else "",
            "url": event.get_absolute_url(),
            "site_url": settings.SITE_URL,
            # Stands for every recipient of this template: same language and time zone.
            "recipient": PlaceholderPerson(NAME_TEXT, language, time_zone=zone),
        }
        with translation.override(language), timezone.override(ZoneInfo(zone) if zone else None):
            ctx["when"] = offset_text(delivery.offset_minutes)
            subject = " ".join(render_plain("events/email/reminder_subject.txt", ctx).split())
            body = render_plain("events/email/reminder.txt", ctx).strip()
        return ReminderTemplate(
            subject=subject[:250],
            body=body,
            url=ctx["url"],
            language=language,
            ics=event_ics(event, registration=reg),
            filename=f"{event.slug}.ics",
        )

    def notice(self, delivery) -> Notice:
        t = self.template(delivery)
        return Notice(delivery.registration.user_id, t.subject, t.body, t.url)

    def message(self, delivery, connection):
        user = delivery.registration.user
        return self.template(delivery).email_for(
            name=user.display_name,
            email=user.email,
            ref=f"{delivery.registration_id}:{delivery.offset_minutes}",
            connection=connection,
        )


def offset_text(minutes: int) -> str:
    """'24 hours', '1 hour', '2 days', '30 minutes' in the active language."""
    if minutes % 1440 == 0 and minutes > 1440:
        n = minutes // 1440
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if minutes % 60 == 0:
        n = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _still_valid(delivery, now: datetime) -> bool:
    reg = delivery.registration
    event = reg.event
    due = event.start - timedelta(minutes=delivery.offset_minutes)
    return (
        reg.status == RegistrationStatus.CONFIRMED
        and event.status == EventStatus.PUBLISHED
        and event.start > now
        and reg.created <= due
        and delivery.offset_minutes in (event.reminder_offsets or [])
    )


class _Marker:
    """Marks one reminder sent and records its in-app notice, atomically.

    On PostgreSQL one statement does both (an UPDATE ... RETURNING feeding the
    INSERT of the notice), in autocommit: one round trip per reminder, and the
    notice exists exactly when the reminder is marked sent. Elsewhere (SQLite)
    the same in a small transaction.
    """

    def __init__(self, token: str):
        self.token = token
        self.postgres = db_connection.vendor == "postgresql"
        d = ReminderDelivery._meta.db_table
        n = Notification._meta.db_table
        self.sql = (
            f"WITH d AS (UPDATE {d} SET status = %s, sent_at = %s "  # noqa: S608  # nosec B608
            f"WHERE id = %s AND claim_token = %s AND status = %s RETURNING id) "
            f"INSERT INTO {n} (recipient_id, subject, body, url, created, email_status, "
            f"email_sent_at, email_attempts, email_error, email_attachments) "
            f"SELECT %s, %s, %s, %s, %s, %s, %s, %s, '', '[]' FROM d"
        )

    def __enter__(self):
        self.cursor = None
        if self.postgres:
            import psycopg

            # A server-side binding cursor with a prepared statement: planning the
            # statement once per chunk instead of once per reminder.
            db_connection.ensure_connection()
            self.cursor = psycopg.Cursor(db_connection.connection)
            # Not waiting for the WAL flush makes each mark cheap. A worker crash
            # cannot lose a mark the server received; only a crash of the database
            # server could lose the last fraction of a second of marks, and those
            # reminders would then be sent again (never lost).
            with db_connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        return self

    def __exit__(self, *exc):
        if self.cursor is not None:
            self.cursor.close()
        if self.postgres:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")

    def mark(self, delivery, note: Notice, emailed: bool) -> bool:
        now = timezone.now()
        status = Notification.EmailStatus.SENT if emailed else Notification.EmailStatus.NONE
        if self.cursor is not None:
            self.cursor.execute(
                self.sql,
                [
                    str(DeliveryStatus.SENT),
                    now,
                    delivery.pk,
                    self.token,
                    str(DeliveryStatus.CLAIMED),
                    note.recipient_id,
                    note.subject,
                    note.body,
                    note.url,
                    now,
                    str(status),
                    now if emailed else None,
                    1 if emailed else 0,
                ],
                prepare=True,
            )
            return self.cursor.rowcount == 1
        with transaction.atomic():
            won = ReminderDelivery.objects.filter(
                pk=delivery.pk, claim_token=self.token, status=DeliveryStatus.CLAIMED
            ).update(status=DeliveryStatus.SENT, sent_at=now)
            if won:
                Notification.objects.create(
                    **note._asdict(),
                    created=now,
                    email_status=status,
                    email_sent_at=now if emailed else None,
                    email_attempts=1 if emailed else 0,
                )
            return bool(won)


def deliver_chunk(event_id: int, offset: int, registration_ids: list[int]) -> int:
    """Claim and send one chunk of reminders over one mail connection; returns
    how many this run sent.

    Each reminder is sent, then at once marked sent (with its in-app notice) in
    one statement. The claim token guarantees nobody else sends it meanwhile: a
    claim is only taken over when its worker is dead or its claim is older than
    the stale limit, and a run stops sending well before that limit.
    """
    started = time.monotonic()
    budget = stale_after().total_seconds() / 2
    token = claim(event_id, offset, registration_ids)
    now = timezone.now()
    mine = list(
        ReminderDelivery.objects.filter(
            registration_id__in=registration_ids,
            offset_minutes=offset,
            claim_token=token,
            status=DeliveryStatus.CLAIMED,
        )
        .select_related("registration__user")
        .order_by("id")
    )
    if not mine:
        return 0
    # A chunk is about one event: load it once and share it.
    event = Event.objects.select_related("cluster", "room").get(pk=event_id)
    for d in mine:
        if d.registration.event_id == event.pk:
            d.registration.event = event
    skip = {d.pk for d in mine if not _still_valid(d, now)}
    if skip:
        ReminderDelivery.objects.filter(pk__in=skip, claim_token=token).update(
            status=DeliveryStatus.SKIPPED
        )
    mine = [d for d in mine if d.pk not in skip]
    renderer = _Renderer()
    sent = 0
    connection = get_connection()
    try:
        with _Marker(token) as marker:
            connection.open()
            for d in mine:
                if time.monotonic() - started > budget:
                    raise TimeoutError("reminder chunk ran out of time; the rest is released")
                user = d.registration.user
                emailed = user.is_active and bool(user.email)
                note = renderer.notice(d)
                if emailed:
                    connection.send_messages([renderer.message(d, connection)])
                # The mark follows the send at once: a kill in between is the only
                # way this reminder could go out twice.
                if marker.mark(d, note, emailed):
                    sent += 1
                else:
                    log.warning("reminder %s was cancelled while it was being sent", d.pk)
    except Exception:
        # Unsent claims of this run are released for the next beat run.
        ReminderDelivery.objects.filter(
            registration_id__in=registration_ids,
            offset_minutes=offset,
            claim_token=token,
            status=DeliveryStatus.CLAIMED,
        ).update(claimed_at=now - stale_after() - timedelta(seconds=1))
        log.exception("sending reminders failed; %s of %s sent", sent, len(mine))
        raise
    finally:
        connection.close()
    return sent
