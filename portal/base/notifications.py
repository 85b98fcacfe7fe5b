"""The one place that tells a person something: in-app notice plus email.

`notify()` renders the subject and body in the recipient's language and time
zone (their own when set; templates fall back to the cluster's with
`recipient|shown_zone:...`, see portal/templatetags/zones.py) from a pair
of templates (`<name>_subject.txt`, `<name>.txt`), stores the in-app
notification and queues the email through Celery once the transaction commits.

Subject and body are plain text, rendered without HTML escaping (`render_plain`):
the in-app list and the HTML email escape them once when they show them, the
plain-text email shows them as typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.backends.django import Template as DjangoTemplate
from django.template.context import make_context
from django.template.loader import get_template
from django.utils import timezone, translation

from .enums import EmailStatus
from .models import Notification
from .zones import own_tzinfo


def render_plain(template_name: str, context: dict) -> str:
    """Render a plain-text template: values as typed, never HTML-escaped."""
    loaded = get_template(template_name)
    # The one template engine is Django's (settings.TEMPLATES); its Template wraps the
    # engine-level template that renders a Context built without autoescaping.
    assert isinstance(loaded, DjangoTemplate)
    return loaded.template.render(make_context(context, autoescape=False))


def notify(
    recipient,
    *,
    template: str,
    context: dict | None = None,
    url: str = "",
    email: bool = True,
    attachments: Iterable[tuple[str, str, str]] = (),
    cluster=None,
) -> Notification:
    """Record a notification for `recipient` and queue its email after commit.

    `attachments` are (filename, content, mimetype) triples, e.g. an .ics file.
    `cluster` names the cluster the notice belongs to: its email then carries that
    cluster's logo and accent colour (portal/base/email_layout.py).
    """
    ctx = {"recipient": recipient, "url": url, "site_url": settings.SITE_URL, **(context or {})}
    with (
        translation.override(recipient.language or settings.LANGUAGE_CODE),
        timezone.override(own_tzinfo(recipient)),
    ):
        subject = " ".join(render_plain(f"{template}_subject.txt", ctx).split())
        body = render_plain(f"{template}.txt", ctx).strip()
    wants_email = email and recipient.is_active and bool(recipient.email)
    from .email_layout import brand_snapshot  # it renders with render_plain above

    notification = Notification.objects.create(
        recipient=recipient,
        subject=subject[:250],
        body=body,
        url=url,
        email_status=EmailStatus.QUEUED if wants_email else EmailStatus.NONE,
        email_attachments=[list(a) for a in attachments] if wants_email else [],
        email_brand=brand_snapshot(cluster) if wants_email else {},
    )
    if wants_email:
        from .tasks import send_notification_email

        # robust: a broker outage must not undo the member's action; the email then
        # waits in the row until portal.requeue_unsent_emails queues it again.
        transaction.on_commit(lambda: send_notification_email.delay(notification.pk), robust=True)
    return notification


def notify_many(recipients: Iterable, **kwargs) -> list[Notification]:
    return [notify(r, **kwargs) for r in recipients]
