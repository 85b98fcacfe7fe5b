import logging
import smtplib
import socket
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone, translation

from .email_layout import render_email
from .enums import EmailStatus
from .models import Notification

log = logging.getLogger(__name__)

RETRYABLE = (smtplib.SMTPException, socket.error, TimeoutError, ConnectionError)
EMAIL_LEASE = timedelta(minutes=5)  # longer than any one SMTP conversation
REQUEUE_AFTER = timedelta(minutes=10)
REQUEUE_WITHIN = timedelta(days=3)
REQUEUE_BATCH = 500


@shared_task(
    bind=True,
    name="portal.send_notification_email",
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_notification_email(self, notification_id: int, attachments=None) -> str:
    """Send a notification's email once; retried with backoff on SMTP errors.

    The send first takes a lease on the row (one conditional UPDATE), so of two queued
    copies of this task (one re-queued by `requeue_unsent_emails`) only one sends.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.QUEUED)
        .filter(Q(email_lease_until__isnull=True) | Q(email_lease_until__lt=now))
        .update(email_lease_until=now + EMAIL_LEASE, email_attempts=F("email_attempts") + 1)
    )
    if not claimed:  # sent, failed for good, or another worker is sending it right now
        return "skipped"
    n = Notification.objects.select_related("recipient").get(pk=notification_id)
    with translation.override(n.recipient.language or settings.LANGUAGE_CODE):
        text, html = render_email(
            recipient=n.recipient, subject=n.subject, body=n.body, url=n.url, brand=n.email_brand
        )
    msg = EmailMultiAlternatives(n.subject, text, to=[n.recipient.email])
    msg.attach_alternative(html, "text/html")
    for filename, content, mimetype in n.email_attachments or attachments or ():
        msg.attach(filename, content, mimetype)
    try:
        msg.send()
    except RETRYABLE as exc:
        final = self.request.retries >= self.max_retries
        Notification.objects.filter(pk=n.pk).update(
            email_error=str(exc)[:2000],
            email_status=EmailStatus.FAILED if final else n.email_status,
            email_lease_until=None,  # the retry (or a re-queued copy) may take it again
        )
        log.warning(
            "email for notification %s failed (attempt %s): %s", n.pk, n.email_attempts, exc
        )
        raise
    Notification.objects.filter(pk=n.pk).update(
        email_status=EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_error="",
        email_lease_until=None,
    )
    return "sent"


@shared_task(name="portal.requeue_unsent_emails", ignore_result=True)
def requeue_unsent_emails() -> int:
    """Queue again the emails whose task never ran: published while the broker was
    down (notify() logs and swallows that error so the member's action is kept), or
    lost with a broker that keeps nothing on disk. Only emails never attempted, older
    than REQUEUE_AFTER (a queued task normally runs within seconds) and younger than
    REQUEUE_WITHIN (an old notice is better in the app than late in the inbox)."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            email_status=EmailStatus.QUEUED,
            email_attempts=0,
            created__lt=now - REQUEUE_AFTER,
            created__gte=now - REQUEUE_WITHIN,
        )
        .filter(Q(email_lease_until__isnull=True) | Q(email_lease_until__lt=now))
        .order_by("created")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    for pk in ids:
        send_notification_email.delay(pk)
    if ids:
        log.warning("re-queued %s email(s) whose task never ran", len(ids))
    return len(ids)


HEARTBEAT_KEY = "portal:worker-heartbeat"


@shared_task(name="portal.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Lets /healthz tell whether a worker is consuming tasks."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=600)
