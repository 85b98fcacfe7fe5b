from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.utils import timezone

from portal.base.errors import ActionError
from portal.base.models import Notification
from services.counselling.actions import (
    request_auto_close,
    request_message_post,
    request_move,
    request_rate,
    request_submit,
    send_overdue_digests,
)
from services.counselling.actions.submission import due_date_for
from services.counselling.models import (
    CounsellingRequest,
    DigestDelivery,
    RequestAttachment,
    RequestMessage,
)
from tests.factories import ClusterFactory, ClusterRoleFactory, UserFactory
from tests.factories.services import (
    CounsellingRequestFactory,
    ServiceOfferingFactory,
    pdf_bytes,
    png_bytes,
    upload,
)
from tests.services.conftest import force_status


def _private_files():
    storage = storages["private"]
    try:
        dirs, _files = storage.listdir("requests")
    except FileNotFoundError:
        return []
    return [f for d in dirs for f in storage.listdir(f"requests/{d}")[1]]


def test_submit_numbers_requests_per_cluster(member, cluster, category):
    first = request_submit(
        actor=member, cluster=cluster, category=category, subject="A", details="x"
    )
    second = request_submit(
        actor=member, cluster=cluster, category=category, subject="B", details="y"
    )
    assert (first.reference, second.reference) == ("REQ-GENO-1", "REQ-GENO-2")
    assert list(first.transitions.values_list("move", "from_status", "to_status")) == [
        ("submit", "", "submitted")
    ]


def test_submit_refused_outside_members_clusters(member, category):
    elsewhere = ClusterFactory()
    with pytest.raises(ActionError, match="not an active member"):
        request_submit(actor=member, cluster=elsewhere, category=category, subject="A", details="x")
    assert CounsellingRequest.objects.count() == 0


def test_submit_refused_with_offering_of_another_cluster(member, cluster, category):
    foreign = ServiceOfferingFactory(category=category)
    with pytest.raises(ActionError, match="Choose a service this cluster offers"):
        request_submit(actor=member, cluster=cluster, offering=foreign, subject="A", details="x")


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [("normal", date(2026, 3, 23)), ("high", date(2026, 3, 16)), ("urgent", date(2026, 3, 11))],
)
def test_due_date_by_urgency_in_working_days(cluster, urgency, expected):
    # Monday 9 March 2026; defaults 10, 5 and 2 working days.
    assert due_date_for(cluster, urgency, date(2026, 3, 9)) == expected


def test_due_date_follows_cluster_settings(cluster):
    cluster.due_days_urgent = 1
    assert due_date_for(cluster, "urgent", date(2026, 3, 13)) == date(2026, 3, 16)


def test_rejected_attachment_saves_nothing(member, cluster, category):
    bad = upload("notes.pdf", b"<html>hi</html>")
    with pytest.raises(ActionError) as exc:
        request_submit(
            actor=member,
            cluster=cluster,
            category=category,
            subject="A",
            details="x",
            attachments=[upload("good.pdf", pdf_bytes()), bad],
        )
    assert exc.value.field == "attachments"
    assert exc.value.message == (
        "“notes.pdf”: the content of the file is not what its name says (PDF)."
    )
    assert CounsellingRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0
    assert _private_files() == []


def test_attachments_stored_privately_under_generated_names(member, cluster, category, settings):
    req = request_submit(
        actor=member,
        cluster=cluster,
        category=category,
        subject="A",
        details="x",
        attachments=[upload("../../etc/passwd.png", png_bytes())],
    )
    att = req.attachments.get()
    assert att.original_name == "passwd.png"
    assert att.stored_name.startswith(f"requests/{req.pk}/")
    assert att.stored_name.endswith(".png") and "passwd" not in att.stored_name
    assert storages["private"].open(att.stored_name).read() == png_bytes()
    assert not (settings.MEDIA_ROOT / att.stored_name).exists()


def test_stale_second_move_is_refused_and_changes_nothing(submitted, manager, advisor, cluster):
    other_manager = UserFactory()
    ClusterRoleFactory(user=other_manager, cluster=cluster, role="manager")
    second_advisor = UserFactory()
    ClusterRoleFactory(user=second_advisor, cluster=cluster, role="advisor")
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    # Both managers saw "triaged" and pick an advisor at the same time.
    request_move(
        actor=manager,
        request_id=submitted.pk,
        move="assign",
        assignee=advisor,
        expected_status="triaged",
    )
    with pytest.raises(ActionError, match="Someone else changed this request"):
        request_move(
            actor=other_manager,
            request_id=submitted.pk,
            move="assign",
            assignee=second_advisor,
            expected_status="triaged",
        )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.assignee) == ("assigned", advisor)
    assert submitted.transitions.count() == 3


def test_second_identical_move_refused_by_workflow(submitted, manager):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    with pytest.raises(ActionError, match="cannot be moved"):
        request_move(actor=manager, request_id=submitted.pk, move="triage")
    assert submitted.transitions.filter(move="triage").count() == 1


def test_assign_only_to_an_advisor_of_the_cluster(submitted, manager):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    outsider = UserFactory()
    ClusterRoleFactory(user=outsider, role="advisor")  # advisor of another cluster
    with pytest.raises(ActionError, match="Choose an advisor of this cluster"):
        request_move(actor=manager, request_id=submitted.pk, move="assign", assignee=outsider)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.assignee) == ("triaged", None)


def test_decline_needs_a_reason(
    submitted, manager, member, django_capture_on_commit_callbacks, mailoutbox
):
    with pytest.raises(ActionError, match="reason"):
        request_move(actor=manager, request_id=submitted.pk, move="decline", note="  ")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_move(actor=manager, request_id=submitted.pk, move="decline", note="Out of scope")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decline_reason) == ("declined", "Out of scope")
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "Out of scope" in mailoutbox[0].body


def test_member_withdraws_but_cannot_triage(submitted, member):
    with pytest.raises(ActionError, match="You may not"):
        request_move(actor=member, request_id=submitted.pk, move="triage")
    request_move(actor=member, request_id=submitted.pk, move="withdraw")
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


def test_other_organisation_cannot_move(submitted, other_member):
    with pytest.raises(PermissionDenied):
        request_move(actor=other_member, request_id=submitted.pk, move="withdraw")


def test_unassigned_advisor_cannot_act(submitted, manager, advisor):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    with pytest.raises(PermissionDenied):
        request_move(actor=advisor, request_id=submitted.pk, move="start")


def _in_progress(submitted, manager, advisor):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    request_move(actor=manager, request_id=submitted.pk, move="assign", assignee=advisor)
    request_move(actor=advisor, request_id=submitted.pk, move="start")
    submitted.refresh_from_db()
    return submitted


def test_first_response_set_by_first_public_staff_message(submitted, manager, advisor):
    req = _in_progress(submitted, manager, advisor)
    request_message_post(actor=advisor, request_id=req.pk, body="note", internal=True)
    req.refresh_from_db()
    assert req.first_response_at is None
    msg = request_message_post(actor=advisor, request_id=req.pk, body="Hello")
    req.refresh_from_db()
    assert req.first_response_at == msg.created
    request_message_post(actor=advisor, request_id=req.pk, body="Again")
    req.refresh_from_db()
    assert req.first_response_at == msg.created


def test_member_message_does_not_set_first_response(submitted, member):
    request_message_post(actor=member, request_id=submitted.pk, body="Any news?")
    submitted.refresh_from_db()
    assert submitted.first_response_at is None


def test_member_cannot_write_internal_notes(submitted, member):
    with pytest.raises(PermissionDenied):
        request_message_post(actor=member, request_id=submitted.pk, body="x", internal=True)
    assert RequestMessage.objects.count() == 0


def test_internal_note_never_reaches_member(
    submitted, manager, advisor, member, mailoutbox, django_capture_on_commit_callbacks
):
    req = _in_progress(submitted, manager, advisor)
    Notification.objects.all().delete()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_message_post(actor=manager, request_id=req.pk, body="Secret", internal=True)
    assert [m.to for m in mailoutbox] == [[advisor.email]]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [advisor.pk]


def test_rejected_upload_on_message_keeps_request_and_other_files(
    submitted, member, django_capture_on_commit_callbacks
):
    request_message_post(
        actor=member,
        request_id=submitted.pk,
        body="First",
        attachments=[upload("a.pdf", pdf_bytes())],
    )
    before = list(RequestAttachment.objects.values_list("pk", "stored_name"))
    files_before = _private_files()
    with pytest.raises(ActionError, match="something other than the image"):
        request_message_post(
            actor=member,
            request_id=submitted.pk,
            body="Second",
            attachments=[upload("b.pdf", pdf_bytes()), upload("c.png", png_bytes() + b"<html>")],
        )
    assert list(RequestAttachment.objects.values_list("pk", "stored_name")) == before
    assert _private_files() == files_before
    assert list(RequestMessage.objects.values_list("body", flat=True)) == ["First"]


def test_rating_once_after_resolution(submitted, manager, advisor, member):
    req = _in_progress(submitted, manager, advisor)
    with pytest.raises(ActionError, match="once it is resolved"):
        request_rate(actor=member, request_id=req.pk, satisfaction=4)
    request_move(actor=advisor, request_id=req.pk, move="resolve", note="Done")
    request_rate(actor=member, request_id=req.pk, satisfaction=4, comment="Good")
    with pytest.raises(ActionError, match="already been rated"):
        request_rate(actor=member, request_id=req.pk, satisfaction=1)
    req.refresh_from_db()
    assert (req.satisfaction, req.satisfaction_comment) == (4, "Good")


def test_advisor_cannot_rate(submitted, manager, advisor):
    req = _in_progress(submitted, manager, advisor)
    request_move(actor=advisor, request_id=req.pk, move="resolve", note="Done")
    with pytest.raises(PermissionDenied):
        request_rate(actor=advisor, request_id=req.pk, satisfaction=5)


def test_reopen_within_14_days_then_auto_close(submitted, manager, advisor, member):
    req = _in_progress(submitted, manager, advisor)
    request_move(actor=advisor, request_id=req.pk, move="resolve", note="Done")
    request_move(actor=member, request_id=req.pk, move="reopen", note="Not quite")
    req.refresh_from_db()
    assert (req.status, req.resolved_at) == ("in_progress", None)
    request_move(actor=advisor, request_id=req.pk, move="resolve", note="Done now")
    assert request_auto_close() == 0
    later = timezone.now() + timedelta(days=15)
    with pytest.raises(ActionError, match="within 14 days"):
        request_move(actor=member, request_id=req.pk, move="reopen", note="x", now=later)
    assert request_auto_close(now=later) == 1
    req.refresh_from_db()
    assert req.status == "closed" and req.closed_at == later
    last = req.transitions.last()
    assert (last.actor, last.move, last.from_status, last.to_status) == (
        None,
        "close",
        "resolved",
        "closed",
    )


# --- digests ---------------------------------------------------------------------------


def test_digest_once_per_manager_and_day(
    cluster, manager, member, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.now().date()
    overdue = CounsellingRequestFactory(
        cluster=cluster, requester=member, status="in_progress", due_date=today - timedelta(days=1)
    )
    fresh = CounsellingRequestFactory(cluster=cluster, requester=member, status="submitted")
    CounsellingRequestFactory(
        cluster=cluster, requester=member, status="waiting", due_date=today - timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_digests(today=today) == 1
        assert send_overdue_digests(today=today) == 0
    assert [m.to for m in mailoutbox] == [[manager.email]]
    body = mailoutbox[0].body
    assert overdue.reference in body and fresh.reference in body
    assert mailoutbox[0].subject == "Requests: 1 overdue, 1 to assign"
    assert DigestDelivery.objects.get().request_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_digests(today=today + timedelta(days=1)) == 1
    assert len(mailoutbox) == 2


def test_no_digest_when_nothing_to_say(cluster, manager, member, mailoutbox):
    CounsellingRequestFactory(cluster=cluster, requester=member, status="in_progress")
    assert send_overdue_digests() == 0
    assert mailoutbox == []
    assert DigestDelivery.objects.count() == 0


def test_digest_only_of_managers_clusters(cluster, manager, member):
    other = ClusterFactory()
    other_manager = UserFactory()
    ClusterRoleFactory(user=other_manager, cluster=other, role="manager")
    CounsellingRequestFactory(cluster=cluster, requester=member, status="submitted")
    assert send_overdue_digests() == 1
    assert list(DigestDelivery.objects.values_list("manager", flat=True)) == [manager.pk]


def test_digest_claim_already_taken_sends_nothing(cluster, manager, member, mailoutbox):
    DigestDelivery.objects.create(manager=manager, date=timezone.now().date())
    CounsellingRequestFactory(cluster=cluster, requester=member, status="submitted")
    assert send_overdue_digests() == 0
    assert mailoutbox == []


def test_force_status_helper(submitted):
    assert force_status(submitted, "resolved").status == "resolved"


# --- reassigning, assigning oneself, references (issue 15, 2.15) ----------------------------


def test_submit_reference_uses_cluster_short_code_not_its_id(member, cluster, category):
    assert cluster.short_code == "GENO"
    req = request_submit(actor=member, cluster=cluster, category=category, subject="A", details="x")
    assert req.reference == "REQ-GENO-1"


def test_manager_assigns_request_to_themself(submitted, manager):
    request_move(actor=manager, request_id=submitted.pk, move="triage")
    request_move(actor=manager, request_id=submitted.pk, move="assign", assignee=manager)
    request_move(actor=manager, request_id=submitted.pk, move="start")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.assignee) == ("in_progress", manager)


def test_manager_reassigns_request_with_transition_audit_and_notice(
    submitted, manager, advisor, django_capture_on_commit_callbacks, mailoutbox
):
    from portal.base.models import AuditEntry

    second = UserFactory(email="second.advisor@example.org")
    ClusterRoleFactory(user=second, cluster=submitted.cluster, role="advisor")
    req = _in_progress(submitted, manager, advisor)
    mailoutbox.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        request_move(
            actor=manager,
            request_id=req.pk,
            move="reassign",
            assignee=second,
            expected_status="in_progress",
        )
    req.refresh_from_db()
    assert (req.status, req.assignee) == ("in_progress", second)
    last = req.transitions.order_by("-pk").first()
    assert (last.move, last.actor, last.from_status, last.to_status) == (
        "reassign",
        manager,
        "in_progress",
        "in_progress",
    )
    entry = AuditEntry.objects.filter(action="change", object_id=str(req.pk)).latest("pk")
    assert entry.detail == f"assignee: {advisor.display_name} → {second.display_name}"
    assert Notification.objects.filter(recipient=second).count() == 1
    assert Notification.objects.filter(recipient=advisor).count() == 1
    assert second.email in {m.to[0] for m in mailoutbox}
    # The new advisor works on; the old one may no longer act.
    with pytest.raises(PermissionDenied):
        request_move(actor=advisor, request_id=req.pk, move="ask")
    request_move(actor=second, request_id=req.pk, move="ask")


def test_reassign_to_the_same_advisor_or_outsider_is_refused(submitted, manager, advisor):
    req = _in_progress(submitted, manager, advisor)
    with pytest.raises(ActionError, match="already assigned"):
        request_move(actor=manager, request_id=req.pk, move="reassign", assignee=advisor)
    outsider = UserFactory()
    ClusterRoleFactory(user=outsider, role="advisor")
    with pytest.raises(ActionError, match="Choose an advisor of this cluster"):
        request_move(actor=manager, request_id=req.pk, move="reassign", assignee=outsider)
    with pytest.raises(ActionError, match="You may not"):
        request_move(actor=advisor, request_id=req.pk, move="reassign", assignee=manager)
    req.refresh_from_db()
    assert (req.assignee, req.transitions.filter(move="reassign").count()) == (advisor, 0)
