import logging
import smtplib
import socket

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

log = logging.getLogger(__name__)

RETRYABLE = (smtplib.SMTPException, socket.error, TimeoutError, ConnectionError)


@shared_task(
    bind=True,
    name="portal.send_notification_email",
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_notification_email(self, notification_id: int, attachments=()) -> str:
    """Send a notification's email once; retried with backoff on SMTP errors."""
    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.email_status == Notification.EmailStatus.SENT:
        return "skipped"
    Notification.objects.filter(pk=n.pk).update(email_attempts=n.email_attempts + 1)
    ctx = {"notification": n, "recipient": n.recipient, "site_url": settings.SITE_URL}
    with translation.override(n.recipient.language or settings.LANGUAGE_CODE):
        text = render_to_string("portal/email/notification.txt", ctx)
        html = render_to_string("portal/email/notification.html", ctx)
    msg = EmailMultiAlternatives(n.subject, text, to=[n.recipient.email])
    msg.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        msg.attach(filename, content, mimetype)
    try:
        msg.send()
    except RETRYABLE as exc:
        final = self.request.retries >= self.max_retries
        Notification.objects.filter(pk=n.pk).update(
            email_error=str(exc)[:2000],
            email_status=Notification.EmailStatus.FAILED if final else n.email_status,
        )
        log.warning(
            "email for notification %s failed (attempt %s): %s", n.pk, n.email_attempts + 1, exc
        )
        raise
    Notification.objects.filter(pk=n.pk).update(
        email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now(), email_error=""
    )
    return "sent"


HEARTBEAT_KEY = "portal:worker-heartbeat"


@shared_task(name="portal.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Lets /healthz tell whether a worker is consuming tasks."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=600)
