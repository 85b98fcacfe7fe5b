"""Every email has one layout: the HTML part (branded when the notice belongs to a
cluster) and a plain-text part."""

import email
import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from clusters.models import Cluster
from events.actions.email_parts import local_times
from events.tasks import send_due_reminders
from portal.base.email_layout import PORTAL_ACCENT
from portal.base.models import Notification
from portal.base.notifications import notify
from tests.factories.clusters import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

TEAL = "#006d77"


def brand(cluster: Cluster) -> Cluster:
    out = io.BytesIO()
    Image.new("RGB", (200, 80), (0, 109, 119)).save(out, format="PNG")
    cluster.logo.save("genopole.png", ContentFile(out.getvalue()), save=False)
    cluster.accent_colour = TEAL
    cluster.save()
    return cluster


def waitlisted(event) -> dict:
    return {"event": event, "position": 2, **local_times(event)}


def html_of(message) -> str:
    return message.alternatives[0][0]


def test_notification_of_a_cluster_carries_its_logo_and_accent(
    member, cluster, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example"
    brand(cluster)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            member,
            template="events/email/registration_waitlisted",
            context=waitlisted(EventFactory(cluster=cluster, title="Gene day")),
            url="/events/gene-day/",
            cluster=cluster,
        )
    (message,) = mailoutbox
    html = html_of(message)
    assert f'src="https://portal.example{cluster.logo.url}"' in html
    assert f'alt="{cluster.name} logo"' in html
    assert f"background:{TEAL}" in html and "max-width:600px" in html
    assert 'href="https://portal.example/events/gene-day/"' in html
    assert "<style" not in html  # inline CSS only: mail clients drop stylesheets
    assert "Gene day" in message.body and "https://portal.example/events/gene-day/" in message.body
    assert f"{cluster.name}, on the Biocluster portal" in message.body
    n = Notification.objects.get()
    assert n.email_brand["accent"] == TEAL  # kept for a retried send


def test_notification_without_a_cluster_uses_the_portals_layout(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            member,
            template="events/email/registration_waitlisted",
            context=waitlisted(EventFactory()),
        )
    (message,) = mailoutbox
    html = html_of(message)
    assert "<img" not in html and f"background:{PORTAL_ACCENT}" not in html  # no link
    assert f"border-top:4px solid {PORTAL_ACCENT}" in html
    assert "Biocluster portal" in html and "Biocluster portal" in message.body
    assert Notification.objects.get().email_brand == {}


def test_event_registration_email_is_branded_by_the_events_cluster(
    client, member, cluster, mailoutbox, django_capture_on_commit_callbacks
):
    brand(cluster)
    event = EventFactory(cluster=cluster)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.slug}/register/", {"seat_type": "in_person"})
    (message,) = mailoutbox
    assert f"border-top:4px solid {TEAL}" in html_of(message)


def test_reminder_uses_the_same_layout_with_the_clusters_brand(cluster, mailoutbox):
    brand(cluster)
    start = timezone.now() + timedelta(minutes=30)
    event = EventFactory(
        cluster=cluster,
        start=start,
        end=start + timedelta(hours=1),
        created=timezone.now() - timedelta(days=5),
    )
    RegistrationFactory(
        event=event,
        user=UserFactory(member_of=cluster, first_name="Zoë"),
        created=timezone.now() - timedelta(days=3),
    )
    send_due_reminders()
    reminder = next(m for m in mailoutbox if "X-Portal-Reminder" in m.extra_headers)
    parsed = email.message_from_bytes(reminder.message().as_bytes())
    parts = {p.get_content_type(): p for p in parsed.walk()}
    html = parts["text/html"].get_payload(decode=True).decode()
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert f"border-top:4px solid {TEAL}" in html and f'alt="{cluster.name} logo"' in html
    assert "Hello Zoë" in html and "Hello Zoë" in text and "text/calendar" in parts


def test_invitation_has_the_layout_and_a_plain_text_part(client, member, mailoutbox):
    from clusters.enums import OrgRole
    from clusters.models import Invitation
    from clusters.tasks import send_invitation

    member.org_role = OrgRole.ADMIN
    member.save()
    invitation = Invitation.objects.create(
        organisation=member.organisation,
        email="new@example.org",
        invited_by=member,
        expires_at=timezone.now() + timedelta(days=7),
    )
    send_invitation(invitation.pk)
    (message,) = mailoutbox
    assert "max-width:600px" in html_of(message)
    assert "/invitations/" in message.body and "Hello," in message.body
