"""Every notification escapes a value exactly once (defect 2.3 of issue 15).

A notification's subject and body are plain text: the in-app list and the HTML email
escape them once when they show them, the plain-text email shows them as typed. Each
notification template is sent with names holding `&`, `'`, `"` and `<`, the way its
action sends it; the reminders and the invitation (which bypass `notify()`) go through
their own senders.
"""

import email
import email.policy
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clusters.actions import membership as cluster_actions
from clusters.models import IntroductionRequest, Invitation, Membership
from events.brokerage.models import Meeting, MeetingRequest, Participant
from events.models import Event, Registration
from events.tasks import send_due_reminders
from portal.base.models import Notification
from portal.base.notifications import notify
from services.counselling.models import RequestMessage
from services.rooms.models import Booking
from tests.factories import ClusterRoleFactory, OrganisationFactory, UserFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.rooms import RoomFactory
from tests.factories.services import CounsellingRequestFactory

HOSTILE = 'Smith & Nephew d\'Évry "Lab" <b>'
ONCE = escape(HOSTILE)  # Smith &amp; Nephew d&#x27;Évry &quot;Lab&quot; &lt;b&gt;
ENTITIES = ("&amp;", "&#x27;", "&#39;", "&quot;", "&lt;", "&gt;")
TWICE = tuple(f"&amp;{e[1:]}" for e in ENTITIES)  # &amp;amp; &amp;#x27; ...


@pytest.fixture
def scene(cluster):
    """People, organisations and things whose every name is HOSTILE."""
    cluster.name = HOSTILE
    cluster.save(update_fields=["name"])
    org = OrganisationFactory(name=HOSTILE)
    person = UserFactory(
        first_name=HOSTILE, last_name="", organisation=org, org_role="admin", member_of=cluster
    )
    other = UserFactory(first_name=HOSTILE, last_name="", member_of=cluster)
    other.organisation.name = HOSTILE
    other.organisation.save(update_fields=["name"])
    manager = UserFactory(first_name=HOSTILE, last_name="")
    ClusterRoleFactory(user=manager, cluster=cluster, role="manager")
    room = RoomFactory(cluster=cluster, name=HOSTILE, location=HOSTILE)
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    booking = Booking.objects.create(
        room=room,
        person=person,
        organisation=org,
        title=HOSTILE,
        attendees=2,
        start=start,
        end=start + timedelta(hours=1),
        status="confirmed",
        reason=HOSTILE,
    )
    event = EventFactory(cluster=cluster, title=HOSTILE, address=HOSTILE)
    registration = RegistrationFactory(event=event, user=person)
    req = CounsellingRequestFactory(
        cluster=cluster,
        requester=person,
        requester_organisation=org,
        assignee=manager,
        subject=HOSTILE,
        satisfaction=4,
        satisfaction_comment=HOSTILE,
    )
    req.category.name = HOSTILE
    req.category.save(update_fields=["name"])
    message = RequestMessage.objects.create(request=req, author=person, body=HOSTILE)
    membership = Membership.objects.get(organisation=org, cluster=cluster)
    membership.decision_note = HOSTILE
    membership.applied_by = person
    membership.save(update_fields=["decision_note", "applied_by"])
    intro = IntroductionRequest.objects.create(
        from_user=person,
        from_organisation=org,
        to_organisation=other.organisation,
        message=HOSTILE,
        decided_by=other,
    )
    a = Participant.objects.create(event=event, user=person, organisation=org)
    b = Participant.objects.create(event=event, user=other, organisation=other.organisation)
    meeting_request = MeetingRequest.objects.create(
        event=event, from_participant=a, to_participant=b, message=HOSTILE
    )
    meeting = Meeting.objects.create(event=event, a=a, b=b, request=meeting_request)
    return {
        "person": person,
        "manager": manager,
        "membership": membership,
        "introduction": intro,
        "room": room,
        "booking": booking,
        "event": event,
        "registration": registration,
        "request": req,
        "message": message,
        "meeting_request": meeting_request,
        "meeting": meeting,
        "a": a,
        "b": b,
    }


# template -> (recipient key, context) as its action passes it
def _contexts(s) -> dict[str, tuple[str, dict]]:
    room_ctx = {"room": s["room"], "booking": s["booking"], "bookings": [s["booking"]]}
    ev = {"event": s["event"], "registration": s["registration"]}
    req = {"request": s["request"]}
    mr = {"request": s["meeting_request"], "event": s["event"]}
    membership = s["membership"]
    # A fee invoice as the renewal and reminder steps pass it (clusters/memberships/renewals.py).
    fee = {
        "cluster": getattr(membership, "cluster", None),
        "organisation": getattr(membership, "organisation", None),
        "invoice": {
            "number": "GENO-2027-00001",
            "iban": "DE89370400440532013000",
            "rf_reference": "RF18539007547034",
            "due_date": timezone.now().date(),
        },
        "amount": "1,200.00",
        "open_amount": "1,200.00",
    }
    fee_term = {"membership": {"term_end": timezone.now().date()}}
    return {
        "memberships/email/renewal_invoice": (
            "person",
            {**fee, "start": timezone.now().date(), "end": timezone.now().date()},
        ),
        "memberships/email/payment_reminder": ("person", {**fee, "days": 7, "overdue": True}),
        "memberships/email/membership_lapsed": ("person", {**fee, **fee_term}),
        "memberships/email/membership_ended": ("person", {**fee, **fee_term}),
        "clusters/email/application_received": ("manager", {"membership": s["membership"]}),
        "clusters/email/application_decided": (
            "person",
            {"membership": s["membership"], "approved": False},
        ),
        "clusters/email/introduction_received": ("person", {"introduction": s["introduction"]}),
        "clusters/email/introduction_decided": (
            "person",
            {"introduction": s["introduction"], "accepted": True},
        ),
        "rooms/email/booking_requested": ("manager", room_ctx),
        "rooms/email/booking_approved": ("person", {**room_ctx, "reason": ""}),
        "rooms/email/booking_rejected": ("person", {**room_ctx, "reason": HOSTILE}),
        "rooms/email/booking_cancelled": ("person", {**room_ctx, "reason": HOSTILE}),
        "rooms/email/booking_cancelled_by_member": (
            "manager",
            {**room_ctx, "actor": s["person"], "reason": HOSTILE},
        ),
        "rooms/email/booking_expired": ("person", {**room_ctx, "reason": ""}),
        "events/email/event_changed": ("person", ev),
        "events/email/event_cancelled": ("person", {**ev, "reason": HOSTILE}),
        "events/email/registration_confirmed": ("person", ev),
        "events/email/registration_waitlisted": ("person", {**ev, "position": 2}),
        "events/email/registration_promoted": ("person", ev),
        "services/email/request_submitted": ("person", req),
        "services/email/request_received": ("manager", req),
        "services/email/request_assigned": ("manager", {**req, "note": HOSTILE}),
        "services/email/request_update": ("person", {**req, "note": HOSTILE}),
        "services/email/request_message": (
            "manager",
            {**req, "message": s["message"], "author": s["person"]},
        ),
        "services/email/request_internal_note": (
            "manager",
            {**req, "message": s["message"], "author": s["person"]},
        ),
        "services/email/request_rated": ("manager", req),
        "services/email/overdue_digest": (
            "manager",
            {"overdue": [s["request"]], "unassigned": [s["request"]]},
        ),
        "brokerage/email/request_received": ("person", {**mr, "sender": s["a"]}),
        "brokerage/email/request_declined": ("person", mr),
        "brokerage/email/request_expired": ("person", mr),
        "brokerage/email/meeting_confirmed": (
            "person",
            {"meeting": s["meeting"], "partner": s["b"], "event": s["event"]},
        ),
        "brokerage/email/meeting_cancelled": (
            "person",
            {"event": s["event"], "partner": s["b"], "slot": None},
        ),
        "brokerage/email/agenda_changed": ("person", {"event": s["event"], "moved": 2}),
        "brokerage/email/agenda_published": (
            "person",
            {"event": s["event"], "final": True, "meetings": 1},
        ),
    }


# Sent by their own code, not by notify(): tested below.
OWN_SENDERS = {"events/email/reminder", "clusters/email/invitation"}


def _templates_on_disk() -> set[str]:
    root = Path(settings.BASE_DIR) / "templates"
    return {
        str(p.relative_to(root))[: -len("_subject.txt")] for p in root.glob("*/email/*_subject.txt")
    }


def assert_plain(text: str) -> None:
    """Plain text: no HTML entity at all (HOSTILE holds no entity of its own)."""
    for entity in ENTITIES:
        assert entity not in text, f"{entity} in plain text: {text!r}"


def assert_html_once(html: str, *, expect_value: bool = True) -> None:
    for twice in TWICE:
        assert twice not in html, f"{twice} (escaped twice) in HTML: {html!r}"
    assert "<b>" not in html, "the value's <b> reached the HTML unescaped"
    if expect_value:
        assert ONCE in html


def _parts(mail) -> tuple[str, str, str]:
    """Subject, text part and HTML part as they go on the wire, decoded."""
    msg = email.message_from_bytes(mail.message().as_bytes(), policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return str(msg["Subject"]).strip(), text, html


def _check_notification(n: Notification, mail, client) -> None:
    assert_plain(n.subject)
    assert_plain(n.body)
    assert HOSTILE in n.body
    # the email: subject and text part as typed, HTML part escaped once
    subject, text, html = _parts(mail)
    assert subject == n.subject
    assert_plain(text)
    assert HOSTILE in text
    assert_html_once(html)
    # the in-app notice: the list page escapes subject and body once
    client.force_login(n.recipient)
    page = client.get(reverse("notification_list")).content.decode()
    assert_html_once(page)
    assert escape(n.subject) in page


def test_every_notification_template_is_covered():
    contexts = _contexts(_Anything())
    assert _templates_on_disk() == set(contexts) | OWN_SENDERS


class _Anything(dict):
    def __missing__(self, key):
        return None


def _cases():
    return sorted(_contexts(_Anything()))


@pytest.mark.parametrize("template", _cases())
def test_notification_shows_names_escaped_once(
    template, scene, client, mailoutbox, django_capture_on_commit_callbacks
):
    who, context = _contexts(scene)[template]
    recipient = scene[who]
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(recipient, template=template, context=context, url="/dashboard/")
    n.refresh_from_db()
    assert n.email_status == "sent"
    assert len(mailoutbox) == 1
    _check_notification(n, mailoutbox[0], client)


def test_membership_application_notices_escape_once(
    cluster, manager, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The reported case, through the real actions: apply, then decline."""
    applicant = UserFactory(first_name=HOSTILE, last_name="")
    with django_capture_on_commit_callbacks(execute=True):
        membership = cluster_actions.membership_apply(
            user=applicant,
            name=HOSTILE,
            kind="sme",
            country="FR",
            website="",
            cluster=cluster,
        )
    received = Notification.objects.get(recipient=manager)
    assert received.subject == f"New membership application: {HOSTILE} to {cluster.name}"
    _check_notification(received, mailoutbox[-1], client)
    with django_capture_on_commit_callbacks(execute=True):
        cluster_actions.membership_decline(
            actor=manager, membership_id=membership.pk, reason=HOSTILE
        )
    decided = Notification.objects.get(recipient=applicant)
    assert decided.body == (
        f"The managers of {cluster.name} declined the application of {HOSTILE}. "
        f"Their reason: {HOSTILE}"
    )
    _check_notification(decided, mailoutbox[-1], client)


def test_reminder_escapes_once(scene, client, mailoutbox):
    event = Event.objects.get(pk=scene["event"].pk)
    event.start = timezone.now() + timedelta(minutes=30)
    event.end = event.start + timedelta(hours=2)
    event.reminder_offsets = [60]
    event.save(update_fields=["start", "end", "reminder_offsets"])
    Registration.objects.filter(event=event).update(created=timezone.now() - timedelta(days=1))
    send_due_reminders()
    mails = [m for m in mailoutbox if "X-Portal-Reminder" in m.extra_headers]
    assert len(mails) == 1
    n = Notification.objects.get(subject__startswith="Reminder:")
    assert n.subject == f"Reminder: {HOSTILE} starts in 1 hour"
    _check_notification(n, mails[0], client)


def test_invitation_email_is_plain_text(scene, mailoutbox, django_capture_on_commit_callbacks):
    invitation = Invitation.objects.create(
        organisation=scene["person"].organisation,
        email="newcomer@example.org",
        invited_by=scene["person"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    from clusters.tasks import send_invitation

    send_invitation(invitation.pk)
    mail = mailoutbox[-1]
    assert mail.subject == f"You are invited to join {HOSTILE} on the Biocluster portal"
    assert_plain(mail.body)
    assert f"{HOSTILE} invites you to join {HOSTILE}" in mail.body
