import io
import json
import zipfile
from datetime import timedelta

from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from clusters.models import Invitation, Membership, User
from clusters.partners.models import SuggestionDismissal
from events.models import Registration
from portal.base.audit import audit
from portal.base.models import AuditEntry, Notification
from portal.privacy import account_delete
from services.counselling.actions import request_message_post, request_submit
from services.rooms.models import Booking, BookingSeries
from tests.factories import UserFactory
from tests.factories.clusters import PASSWORD, IntroductionRequestFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.rooms import BookingFactory, RoomFactory
from tests.factories.services import ServiceCategoryFactory, pdf_bytes, png_bytes, upload


def _export(client, person) -> tuple[dict, zipfile.ZipFile]:
    client.force_login(person)
    response = client.get(reverse("privacy_export"))
    assert response["Content-Type"] == "application/zip"
    stamp = timezone.now().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (f'attachment; filename="my-portal-data-{stamp}.zip"')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("my-portal-data.json")), archive


def test_export_contains_profile_and_notifications(client, member):
    Notification.objects.create(recipient=member, subject="Your request", body="Answered")
    data, _archive = _export(client, member)
    assert data["portal"]["profile"]["email"] == "member@example.org"
    assert data["portal"]["profile"]["organisation"] == member.organisation.name
    assert data["portal"]["notifications"] == [
        {
            "subject": "Your request",
            "body": "Answered",
            "created": data["portal"]["notifications"][0]["created"],
            "read": False,
        }
    ]


def test_export_is_a_zip_with_requests_messages_and_their_files(client, member, cluster):
    category = ServiceCategoryFactory()
    req = request_submit(
        actor=member,
        cluster=cluster,
        category=category,
        subject="Licence review",
        details="Please check clause 4.",
        attachments=[upload("contract.pdf", pdf_bytes())],
    )
    message = request_message_post(
        actor=member,
        request_id=req.pk,
        body="Here is the annex.",
        attachments=[upload("annex.png", png_bytes())],
    )
    data, archive = _export(client, member)
    services = data["services"]
    assert [
        (r["reference"], r["subject"], r["details"], r["cluster"])
        for r in services["counselling_requests"]
    ] == [(req.reference, "Licence review", "Please check clause 4.", cluster.name)]
    assert [(m["request"], m["body"]) for m in services["messages_written"]] == [
        (req.reference, "Here is the annex.")
    ]
    files = {a["file_name"]: a["file"] for a in services["attachments"]}
    assert sorted(files) == ["annex.png", "contract.pdf"]
    assert archive.read(files["contract.pdf"]) == pdf_bytes()
    assert archive.read(files["annex.png"]) == png_bytes()
    assert sorted(archive.namelist()) == sorted([*files.values(), "my-portal-data.json"])
    assert [a["message"] for a in services["attachments"] if a["file_name"] == "annex.png"] == [
        message.created.isoformat()
    ]


def test_export_holds_bookings_registrations_introductions_and_more(
    client, member, other_member, cluster
):
    room = RoomFactory(cluster=cluster, name="Pasteur room")
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    series = BookingSeries.objects.create(
        room=room,
        organisation=member.organisation,
        person=member,
        title="Stand-up",
        frequency="weekly",
        count=4,
    )
    BookingFactory(
        room=room,
        person=member,
        title="Kick-off",
        start=start,
        end=start + timedelta(hours=2),
        series=series,
    )
    event = EventFactory(cluster=cluster, title="Bio night")
    RegistrationFactory(event=event, user=member)
    IntroductionRequestFactory(
        from_user=member, to_organisation=other_member.organisation, message="Shall we talk?"
    )
    IntroductionRequestFactory(
        from_user=other_member,
        to_organisation=member.organisation,
        message="We would like to meet you.",
    )
    SuggestionDismissal.objects.create(
        organisation=member.organisation, suggested=other_member.organisation, by=member
    )
    Invitation.objects.create(
        organisation=member.organisation,
        email="colleague@example.org",
        invited_by=member,
        expires_at=timezone.now() + timedelta(days=7),
    )
    Membership.objects.filter(organisation=member.organisation).update(
        applied_by=member, applied_at=timezone.now(), message="Please admit us."
    )
    data, _archive = _export(client, member)
    rooms = data["services.rooms"]
    assert [(b["title"], b["room"], b["start"], b["status"]) for b in rooms["bookings"]] == [
        ("Kick-off", "Pasteur room", start.isoformat(), "confirmed")
    ]
    assert [(s["title"], s["frequency"], s["count"]) for s in rooms["series"]] == [
        ("Stand-up", "weekly", 4)
    ]
    assert [(r["event"], r["status"]) for r in data["events"]["registrations"]] == [
        ("Bio night", "confirmed")
    ]
    clusters = data["clusters"]
    assert [(i["to"], i["message"]) for i in clusters["introductions_sent"]] == [
        (other_member.organisation.name, "Shall we talk?")
    ]
    assert [(i["from"], i["message"]) for i in clusters["introductions_received"]] == [
        (other_member.organisation.name, "We would like to meet you.")
    ]
    assert [i["email"] for i in clusters["invitations_sent"]] == ["colleague@example.org"]
    assert [(m["cluster"], m["message"]) for m in clusters["membership_applications"]] == [
        (cluster.name, "Please admit us.")
    ]
    assert [d["organisation"] for d in data["clusters.partners"]["dismissed_suggestions"]] == [
        other_member.organisation.name
    ]


def test_account_page_describes_the_zip(client, member):
    client.force_login(member)
    page = client.get(reverse("privacy")).content.decode()
    assert "A zip file" in page
    assert "One JSON file" not in page


def test_delete_account_anonymises_and_signs_out(client, member):
    colleague_admin = UserFactory(organisation=member.organisation, org_role="admin")
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")
    member.refresh_from_db()
    assert member.is_active is False
    assert member.email == f"former-member-{member.pk}@invalid.example"
    assert member.display_name == "former member"
    assert not member.has_usable_password()
    assert member.organisation == colleague_admin.organisation  # history stays attached
    assert client.get(reverse("dashboard")).status_code == 302


def test_delete_refused_for_last_admin_with_colleagues(client, member):
    UserFactory(organisation=member.organisation, org_role="member")
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "only admin" in response.content.decode()
    assert User.objects.get(pk=member.pk).is_active


def test_delete_needs_the_password(client, member):
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"password": "wrong"})
    assert "not your current password" in response.content.decode()
    assert User.objects.get(pk=member.pk).is_active


def test_audit_log_records_staff_only_and_is_for_network_admins(client, member, manager):
    audit(member, "view", member.organisation)
    audit(manager, "view", member.organisation, detail="opened profile")
    assert list(AuditEntry.objects.values_list("actor_label", "action", "detail")) == [
        ("manager@example.org", "view", "opened profile")
    ]
    client.force_login(manager)
    assert client.get(reverse("audit_log")).status_code == 404
    admin = UserFactory(is_network_admin=True)
    client.force_login(admin)
    assert "opened profile" in client.get(reverse("audit_log")).content.decode()


def test_language_choice_is_saved_on_the_account(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    member.refresh_from_db()
    assert member.language == "de"
    assert 'lang="de"' in client.get(reverse("dashboard")).content.decode()


def test_staff_views_and_decisions_are_audited(client, cluster, member, manager):
    from tests.factories.services import CounsellingRequestFactory

    req = CounsellingRequestFactory(cluster=cluster, requester=member)
    client.force_login(member)
    client.get(reverse("services:request_detail", args=[req.pk]))
    assert not AuditEntry.objects.exists()  # a member reading their own request
    client.force_login(manager)
    client.get(reverse("services:request_detail", args=[req.pk]))
    entry = AuditEntry.objects.get()
    assert (
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.cluster_id,
    ) == (
        "manager@example.org",
        "view",
        "services.CounsellingRequest",
        str(req.pk),
        cluster.pk,
    )


def test_delete_account_cancels_future_bookings_and_registrations_with_notices(
    member, manager, cluster, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(organisation=member.organisation, org_role="admin")
    room = RoomFactory(cluster=cluster, name="Pasteur room")
    soon = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    future = BookingFactory(
        room=room, person=member, title="Kick-off", start=soon, end=soon + timedelta(hours=1)
    )
    past = BookingFactory(
        room=room,
        person=member,
        title="Old",
        end=timezone.now() - timedelta(days=1),
        start=timezone.now() - timedelta(days=1, hours=1),
    )
    series = BookingSeries.objects.create(
        room=room,
        organisation=member.organisation,
        person=member,
        title="Stand-up",
        frequency="weekly",
    )
    for days in (7, 14):
        BookingFactory(
            room=room,
            person=member,
            title="Stand-up",
            series=series,
            start=soon + timedelta(days=days),
            end=soon + timedelta(days=days, hours=1),
        )
    event = EventFactory(cluster=cluster, title="Bio night", capacity=1)
    # A room booked for the event stays the event's, whoever booked it.
    for_event = BookingFactory(
        room=room, person=member, title="Bio night", event=event, start=event.start, end=event.end
    )
    seat = RegistrationFactory(event=event, user=member)
    waiting = RegistrationFactory(event=event, user=colleague, status="waitlisted")
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=member)
    future.refresh_from_db()
    past.refresh_from_db()
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert (future.status, past.status) == ("cancelled", "confirmed")
    assert [b.status for b in Booking.objects.filter(series=series).order_by("start")] == [
        "cancelled",
        "cancelled",
    ]
    for_event.refresh_from_db()
    assert for_event.status == "confirmed"
    assert (seat.status, waiting.status) == ("cancelled", "confirmed")
    # The usual notices: the room's managers hear of the cancellation, the next
    # person on the waitlist of the freed seat.
    # (one notice for the single booking, one for the series)
    assert Notification.objects.filter(recipient=manager, subject__icontains="cancel").count() == 2
    assert Notification.objects.filter(recipient=colleague).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [manager.email, manager.email, colleague.email]
    )
    assert not Registration.objects.active().filter(user=member)


def test_export_names_a_file_missing_from_storage_instead_of_failing(client, member, cluster):
    req = request_submit(
        actor=member,
        cluster=cluster,
        category=ServiceCategoryFactory(),
        subject="Gone",
        details="x",
        attachments=[upload("lost.pdf", pdf_bytes())],
    )
    storages["private"].delete(req.attachments.get().stored_name)
    data, archive = _export(client, member)
    assert data["files_missing"] == [data["services"]["attachments"][0]["file"]]
    assert archive.namelist() == ["my-portal-data.json"]
