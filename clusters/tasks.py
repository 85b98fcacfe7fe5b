from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

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
    """The invitee has no account yet, so this email bypasses notify()."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    ctx = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("clusters:invitation_accept", args=[invitation.token]),
    }
    subject = " ".join(render_plain("clusters/email/invitation_subject.txt", ctx).split())
    send_mail(subject, render_plain("clusters/email/invitation.txt", ctx), None, [invitation.email])
