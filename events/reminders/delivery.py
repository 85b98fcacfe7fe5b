"""Sending one claimed chunk of reminders over one mail connection, each marked
sent (with its in-app notice) the moment it has gone out."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from portal.base.enums import EmailStatus
from portal.base.models import Notification

from ..enums import DeliveryStatus, EventStatus, RegistrationStatus
from ..models import Event, ReminderDelivery
from .claims import claim, stale_after
from .rendering import Notice, Renderer

log = logging.getLogger(__name__)


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
    the same in a small transaction. The notice's email has gone out already (in the
    event's branding), so it carries no email_brand of its own.
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
            f"email_sent_at, email_attempts, email_error, email_attachments, email_brand) "
            f"SELECT %s, %s, %s, %s, %s, %s, %s, %s, '', '[]', '{{}}' FROM d"
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
        status = EmailStatus.SENT if emailed else EmailStatus.NONE
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
    renderer = Renderer()
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
