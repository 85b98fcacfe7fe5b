from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from portal.base.email_layout import render_email
from portal.base.notifications import render_plain
from portal.base.tasks import RETRYABLE

from .models import Invitation


@shared_task(
    name="clusters.send_invitation",
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_jitter=True,
    max_retries=8,
)
def send_invitation(invitation_id: int) -> None:
    """The invitee has no account yet, so this email bypasses notify(); it has the
    same layout (portal/base/email_layout.py)."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    ctx = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("clusters:invitation_accept", args=[invitation.token]),
    }
    subject = " ".join(render_plain("clusters/email/invitation_subject.txt", ctx).split())
    body = render_plain("clusters/email/invitation.txt", ctx).strip()
    text, html = render_email(recipient=None, subject=subject, body=body)
    msg = EmailMultiAlternatives(subject, text, to=[invitation.email])
    msg.attach_alternative(html, "text/html")
    msg.send()
