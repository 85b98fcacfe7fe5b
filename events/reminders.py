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
3. Each claimed reminder is sent in its own short transaction: UPDATE the row to
   "sent" (only if it still holds our token), send the email over the chunk's
   single SMTP connection, COMMIT. A crash before the COMMIT leaves the row
   "claimed" and it is sent again later; the only window for a duplicate is a
   kill between the mail server accepting the message and PostgreSQL receiving
   the COMMIT, a few microseconds of Python.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from portal.models import Notification

from .enums import DeliveryStatus, EventStatus, RegistrationStatus, SeatType
from .ics import event_ics
from .models import Event, Registration, ReminderDelivery

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


class _Renderer:
    """Renders reminders; the .ics is built once per event and seat type."""

    def __init__(self):
        self._ics: dict[tuple[int, str], bytes] = {}

    def ics(self, event, registration) -> bytes:
        key = (event.pk, registration.seat_type)
        if key not in self._ics:
            self._ics[key] = event_ics(event, registration=registration)
        return self._ics[key]

    def context(self, delivery) -> dict:
        reg = delivery.registration
        event = reg.event
        tz = event.cluster.tzinfo
        show_link = bool(event.online_link) and (
            reg.seat_type == SeatType.ONLINE or event.format == "online"
        )
        return {
            "recipient": reg.user,
            "event": event,
            "registration": reg,
            "offset": delivery.offset_minutes,
            "local_start": event.start.astimezone(tz),
            "local_end": event.end.astimezone(tz),
            "online_link": event.online_link if show_link else "",
            "url": event.get_absolute_url(),
            "site_url": settings.SITE_URL,
        }

    def notification(self, delivery) -> Notification:
        ctx = self.context(delivery)
        user = delivery.registration.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            ctx["when"] = offset_text(delivery.offset_minutes)
            subject = " ".join(render_to_string("events/email/reminder_subject.txt", ctx).split())
            body = render_to_string("events/email/reminder.txt", ctx).strip()
        return Notification(
            recipient=user,
            subject=subject[:250],
            body=body,
            url=ctx["url"],
            email_status=Notification.EmailStatus.QUEUED
            if user.is_active and user.email
            else Notification.EmailStatus.NONE,
        )

    def message(self, delivery, notification: Notification, connection) -> EmailMultiAlternatives:
        reg = delivery.registration
        user = reg.user
        ctx = {"notification": notification, "recipient": user, "site_url": settings.SITE_URL}
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = render_to_string("portal/email/notification.txt", ctx)
            html = render_to_string("portal/email/notification.html", ctx)
        msg = EmailMultiAlternatives(
            notification.subject,
            text,
            to=[user.email],
            connection=connection,
            headers={"X-Portal-Reminder": f"{reg.pk}:{delivery.offset_minutes}"},
        )
        msg.attach_alternative(html, "text/html")
        msg.attach(f"{reg.event.slug}.ics", self.ics(reg.event, reg), "text/calendar")
        return msg


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


def deliver_chunk(event_id: int, offset: int, registration_ids: list[int]) -> int:
    """Claim and send one chunk of reminders over one mail connection; returns
    how many this run sent."""
    token = claim(event_id, offset, registration_ids)
    now = timezone.now()
    mine = list(
        ReminderDelivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED)
        .select_related(
            "registration__user",
            "registration__event__cluster",
            "registration__event__room",
            "notification",
        )
        .order_by("id")
    )
    if not mine:
        return 0
    skip = [d.pk for d in mine if not _still_valid(d, now)]
    if skip:
        ReminderDelivery.objects.filter(pk__in=skip, claim_token=token).update(
            status=DeliveryStatus.SKIPPED
        )
    mine = [d for d in mine if d.pk not in set(skip)]
    renderer = _Renderer()
    # The in-app notice is created once per reminder (kept on the row for a re-send).
    fresh = [d for d in mine if d.notification is None]
    if fresh:
        with transaction.atomic():
            notes = Notification.objects.bulk_create([renderer.notification(d) for d in fresh])
            for d, n in zip(fresh, notes, strict=True):
                d.notification = n
            ReminderDelivery.objects.bulk_update(fresh, ["notification"])
    sent: list[int] = []
    connection = get_connection()
    try:
        connection.open()
        for d in mine:
            user = d.registration.user
            wants_email = user.is_active and bool(user.email)
            msg = renderer.message(d, d.notification, connection) if wants_email else None
            with transaction.atomic():
                won = ReminderDelivery.objects.filter(
                    pk=d.pk, claim_token=token, status=DeliveryStatus.CLAIMED
                ).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
                if not won:
                    continue  # cancelled or taken over meanwhile
                if msg is not None:
                    connection.send_messages([msg])
                # COMMIT follows at once: the duplicate window is this line.
            sent.append(d.notification_id)
    except Exception:
        # Unsent claims of this run are released for the next beat run.
        ReminderDelivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED).update(
            claimed_at=now - stale_after() - timedelta(seconds=1)
        )
        log.exception("sending reminders failed; %s of %s sent", len(sent), len(mine))
        raise
    finally:
        connection.close()
        if sent:
            Notification.objects.filter(
                pk__in=sent, email_status=Notification.EmailStatus.QUEUED
            ).update(email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now())
    return len(sent)
