"""The issue's "Done when": submit with attachment → triage/assign → question → answer →
resolve → rate, with the emails and in-app notices arriving, through the pages."""

from django.urls import reverse

from portal.base.models import Notification
from services.counselling.models import CounsellingRequest, RequestAttachment, RequestTransition
from tests.factories.services import pdf_bytes, upload


def _subjects(outbox, to):
    return [m.subject for m in outbox if m.to == [to]]


def test_counselling_journey(
    client,
    member,
    manager,
    advisor,
    cluster,
    offering,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # The SME submits a request with an attachment.
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("services:request_create"),
            {
                "cluster": cluster.pk,
                "offering": offering.pk,
                "subject": "Licence agreement review",
                "details": "Please review clause 7 of our licence.",
                "urgency": "high",
                "preferred_format": "online",
                "attachments": [upload("licence.pdf", pdf_bytes())],
            },
        )
    req = CounsellingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("services:request_detail", args=[req.pk])
    assert req.reference == f"REQ-{cluster.short_code}-1"
    assert req.status == "submitted"
    assert req.category == offering.category
    assert [a.original_name for a in RequestAttachment.objects.all()] == ["licence.pdf"]
    assert _subjects(mailoutbox, member.email) == [f"We received your request {req.reference}"]
    assert _subjects(mailoutbox, manager.email) == [
        f"New request {req.reference} from {member.organisation.name}"
    ]
    assert Notification.objects.filter(recipient=member).count() == 1
    mailoutbox.clear()

    # The manager triages and assigns it.
    client.force_login(manager)
    url = reverse("services:request_move", args=[req.pk, "triage"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"expected_status": "submitted"}).status_code == 302
        url = reverse("services:request_move", args=[req.pk, "assign"])
        response = client.post(url, {"expected_status": "triaged", "assignee": advisor.pk})
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.status, req.assignee) == ("assigned", advisor)
    assert _subjects(mailoutbox, advisor.email) == [f"Request {req.reference} is assigned to you"]
    assert _subjects(mailoutbox, member.email) == [f"Request {req.reference}: Assigned"]
    mailoutbox.clear()

    # The advisor starts and asks a question (and waits for the member).
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("services:request_move", args=[req.pk, "start"]),
            {"expected_status": "assigned"},
        )
        response = client.post(
            reverse("services:request_message", args=[req.pk]),
            {"body": "Which jurisdiction applies?", "wait_for_member": "on"},
        )
        client.post(
            reverse("services:request_message", args=[req.pk]),
            {"body": "Looks like a standard clause.", "internal": "on"},
        )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "waiting"
    assert req.first_response_at is not None
    # The member hears about the question (and the waiting state), never about the note.
    assert _subjects(mailoutbox, member.email) == [f"New message on request {req.reference}"]
    assert not any("standard clause" in m.body for m in mailoutbox if m.to == [member.email])
    assert not Notification.objects.filter(recipient=member, body__contains="standard clause")
    assert _subjects(mailoutbox, advisor.email) == []  # the author is not told of own note
    mailoutbox.clear()

    # The member answers: the request is back in progress and the advisor is told.
    client.force_login(member)
    page = client.get(reverse("services:request_detail", args=[req.pk]))
    assert "Which jurisdiction applies?" in page.text
    assert "standard clause" not in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("services:request_message", args=[req.pk]), {"body": "French law."}
        )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "in_progress"
    assert _subjects(mailoutbox, advisor.email) == [f"New message on request {req.reference}"]
    mailoutbox.clear()

    # The advisor resolves it.
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("services:request_move", args=[req.pk, "resolve"]),
            {"expected_status": "in_progress", "note": "Clause 7 is fine under French law."},
        )
    req.refresh_from_db()
    assert req.status == "resolved"
    assert req.outcome == "Clause 7 is fine under French law."
    assert _subjects(mailoutbox, member.email) == [f"Request {req.reference}: Resolved"]
    mailoutbox.clear()

    # The member rates it.
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("services:request_rate", args=[req.pk]),
            {"satisfaction": "5", "comment": "Quick and clear."},
        )
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.satisfaction, req.satisfaction_comment) == (5, "Quick and clear.")
    assert _subjects(mailoutbox, advisor.email) == [f"Request {req.reference} was rated 5/5"]

    moves = list(RequestTransition.objects.filter(request=req).values_list("move", flat=True))
    assert moves == ["submit", "triage", "assign", "start", "ask", "resume", "resolve"]

    # The manager's queue shows response and resolution times.
    client.force_login(manager)
    page = client.get(reverse("services:queue"))
    assert req.reference in page.text
    assert "Response time" in page.text and "Resolution time" in page.text
    assert page.context["requests"][0].response_time is not None
    assert page.context["requests"][0].resolution_time is not None
