"""Sending a mailing, each recipient exactly once.

1. `mailing_start()` evaluates the audience now and creates one Delivery row per
   recipient (bulk_create ignore_conflicts on the unique mailing + person: running it
   again adds only people who were not there, never a second row).
2. `send_batch()` CLAIMS up to a batch of pending deliveries in one short
   transaction: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, so two workers
   never pick the same rows, and the claim (token, worker identity, time) is written
   before the transaction ends. Rows claimed by a dead worker (same host, process
   gone) or claimed longer ago than NEWSLETTER_STALE_SECONDS are taken over; the
   helpers are those of the event reminders (portal.base.claims).
3. Each claimed delivery is rendered and sent, then at once marked sent in one
   UPDATE that also releases the claim, conditional on our token. A crash before the
   mark leaves the row pending and claimed by a dead process: the next run takes it
   over and sends it. A kill between the mail server accepting and that UPDATE is the
   only window for a duplicate (as for the reminders).
4. The rate limit: a batch is at most the per-minute budget left, counted from the
   deliveries marked sent in the last 60 seconds (all workers together).
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.base.claims import claim_abandoned, worker_identity

from .enums import DeliveryStatus, MailingStatus
from .models import Delivery, Mailing
from .rendering import render_mailing
from .selectors import mailing_recipients

log = logging.getLogger(__name__)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.NEWSLETTER_STALE_SECONDS)


def mailing_start(mailing_id: int) -> int:
    """Create the deliveries of a scheduled or sending mailing for its audience as it
    is now; returns how many are pending. Idempotent."""
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",))
            .select_related("audience")
            .get(pk=mailing_id)
        )
        if mailing.status not in (MailingStatus.SCHEDULED, MailingStatus.SENDING):
            return 0
        person_ids = list(mailing_recipients(mailing).values_list("pk", flat=True))
        Delivery.objects.bulk_create(
            [Delivery(mailing=mailing, person_id=pid) for pid in person_ids],
            ignore_conflicts=True,
            batch_size=1000,
        )
        if mailing.status == MailingStatus.SCHEDULED:
            mailing.status = MailingStatus.SENDING
            mailing.recipient_count = Delivery.objects.filter(mailing=mailing).count()
            mailing.save(update_fields=["status", "recipient_count"])
    return Delivery.objects.filter(mailing_id=mailing_id, status=DeliveryStatus.PENDING).count()


def budget_now(now=None) -> int:
    """How many mails may still go out in this minute (all workers, all mailings)."""
    now = now or timezone.now()
    recent = Delivery.objects.filter(
        status=DeliveryStatus.SENT, sent_at__gt=now - timedelta(seconds=60)
    ).count()
    return max(0, settings.NEWSLETTER_RATE_PER_MINUTE - recent)


def claim_batch(mailing_id: int, size: int) -> tuple[str, list[int]]:
    """Claim up to `size` pending deliveries for this run: unclaimed ones, and those
    whose claim was abandoned. Returns the claim token and the claimed ids."""
    token = uuid.uuid4().hex
    me = worker_identity()
    now = timezone.now()
    pending = Delivery.objects.filter(mailing_id=mailing_id, status=DeliveryStatus.PENDING)
    with transaction.atomic():
        locked = pending.order_by("id")
        if db_connection.features.has_select_for_update_skip_locked:
            locked = locked.select_for_update(skip_locked=True)
        # Unclaimed rows first; then claimed ones, of which only the abandoned count.
        ids = list(locked.filter(claim_token="").values_list("pk", flat=True)[:size])
        if len(ids) < size:
            claimed = locked.filter(~Q(claim_token="")).values_list(
                "pk", "claimed_by", "claimed_at"
            )
            for pk, claimed_by, claimed_at in claimed[: size * 4]:
                if claim_abandoned(claimed_by, claimed_at, now, stale_after()):
                    ids.append(pk)
                if len(ids) >= size:
                    break
        if ids:
            Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
                claim_token=token, claimed_by=me, claimed_at=now
            )
    return token, ids


def _message(mailing: Mailing, delivery: Delivery, connection) -> EmailMultiAlternatives:
    rendered = render_mailing(mailing, delivery.person)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.person.email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: one-click unsubscribe by the mail program.
            "List-Unsubscribe": f"<{rendered.unsubscribe_url}>, <{rendered.unsubscribe_mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{mailing.cluster.name} <{mailing.cluster.slug}.{mailing.topic}.list>",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def send_batch(mailing_id: int, size: int | None = None) -> int:
    """Claim and send one batch; returns how many this run sent (0: nothing left to
    send now, or the minute's budget is used up)."""
    size = min(size or settings.NEWSLETTER_BATCH_SIZE, budget_now())
    if size <= 0:
        return 0
    token, ids = claim_batch(mailing_id, size)
    if not ids:
        return 0
    # Loaded once per batch: version_for() reads the prefetched translations.
    mailing = (
        Mailing.objects.select_related("cluster").prefetch_related("versions").get(pk=mailing_id)
    )
    deliveries = list(
        Delivery.objects.filter(pk__in=ids, claim_token=token).select_related("person")
    )
    sent = 0
    connection = get_connection()
    try:
        connection.open()
        for delivery in sorted(deliveries, key=lambda d: d.pk):
            person = delivery.person
            if not (person.is_active and person.email):
                Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
                    status=DeliveryStatus.FAILED, error="no active account", claim_token=""
                )
                continue
            connection.send_messages([_message(mailing, delivery, connection)])
            # Mark sent and release the claim in one statement, at once after the send.
            sent += Delivery.objects.filter(
                pk=delivery.pk, claim_token=token, status=DeliveryStatus.PENDING
            ).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), claim_token="", claimed_by=""
            )
    except Exception:
        # Unsent claims of this run are released at once for the next run.
        Delivery.objects.filter(
            pk__in=ids, claim_token=token, status=DeliveryStatus.PENDING
        ).update(claim_token="", claimed_by="", claimed_at=None)
        log.exception("sending mailing %s failed; %s of %s sent", mailing_id, sent, len(ids))
        raise
    finally:
        connection.close()
    return sent


def finish_if_done(mailing_id: int) -> bool:
    """Mark the mailing sent once no delivery is pending."""
    if Delivery.objects.filter(mailing_id=mailing_id, status=DeliveryStatus.PENDING).exists():
        return False
    return bool(
        Mailing.objects.filter(pk=mailing_id, status=MailingStatus.SENDING).update(
            status=MailingStatus.SENT, sent_at=timezone.now()
        )
    )


def due_mailings(now=None) -> list[int]:
    """Scheduled mailings whose time has come, and those still sending (a rerun picks
    up what a dead worker left)."""
    now = now or timezone.now()
    return list(
        Mailing.objects.filter(
            Q(status=MailingStatus.SCHEDULED, scheduled_at__lte=now)
            | Q(status=MailingStatus.SENDING)
        )
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)
    )
