"""Personal data of counselling: the requests and messages a person wrote and the
files they attached (see portal/privacy.py)."""

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.utils.text import get_valid_filename

from .models import CounsellingRequest, DigestDelivery, RequestAttachment, RequestMessage

EXPORTED = {
    "services.CounsellingRequest.requester": "counselling_requests",
    "services.RequestMessage.author": "messages_written",
    "services.RequestAttachment.uploaded_by": "attachments",
}
NOT_PERSONAL = {
    "services.CounsellingRequest.requester_organisation": (
        "An organisation's requests; those this person submitted are exported through requester."
    ),
    "services.CounsellingRequest.assignee": (
        "The advisor working on a member's request: the cluster's work record; the "
        "request's content belongs to the member, not to the advisor."
    ),
    "services.RequestTransition.actor": (
        "Who moved a request through the workflow: the request's audit trail, kept; "
        "the person's own requests are exported with their status."
    ),
    "services.DigestDelivery.manager": (
        "Bookkeeping that a manager's daily digest went out once; it holds no content "
        "and is deleted with the account."
    ),
}


def _iso(value):
    return value.isoformat() if value else None


def _safe(name: str, default: str) -> str:
    try:
        return get_valid_filename(name)
    except SuspiciousFileOperation:  # "", "." or ".."
        return default


def _archive_name(attachment: RequestAttachment) -> str:
    folder = _safe(attachment.request.reference, str(attachment.request_id))
    return f"attachments/{folder}/{attachment.pk}-{_safe(attachment.original_name, 'file')}"


def _attachments(user):
    return (
        RequestAttachment.objects.filter(uploaded_by=user)
        .select_related("request", "message")
        .order_by("created", "pk")
    )


def export_personal_data(user) -> dict:
    requests = (
        CounsellingRequest.objects.filter(requester=user)
        .select_related("cluster", "category", "offering")
        .order_by("created", "pk")
    )
    messages = (
        RequestMessage.objects.filter(author=user)
        .select_related("request")
        .order_by("created", "pk")
    )
    return {
        "counselling_requests": [
            {
                "reference": r.reference,
                "cluster": r.cluster.name,
                "service": r.offering.title if r.offering_id else None,
                "category": r.category.name,
                "subject": r.subject,
                "details": r.details,
                "urgency": r.urgency,
                "preferred_format": r.preferred_format,
                "status": r.status,
                "submitted": r.created.isoformat(),
                "outcome": r.outcome,
                "satisfaction": r.satisfaction,
                "satisfaction_comment": r.satisfaction_comment,
                "resolved": _iso(r.resolved_at),
                "closed": _iso(r.closed_at),
            }
            for r in requests
        ],
        "messages_written": [
            {
                "request": m.request.reference,
                "body": m.body,
                "internal_note": m.internal,
                "sent": m.created.isoformat(),
            }
            for m in messages
        ],
        "attachments": [
            {
                "request": a.request.reference,
                # The message it came with (by its time), or None for the request itself.
                "message": a.message.created.isoformat() if a.message_id else None,
                "file_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "uploaded": a.created.isoformat(),
                "file": _archive_name(a),
            }
            for a in _attachments(user)
        ],
    }


def export_personal_files(user):
    storage = storages["private"]
    for a in _attachments(user):
        yield _archive_name(a), storage, a.stored_name


def anonymise_personal_data(user) -> None:
    """Requests, messages and files stay with the organisation's request history
    (signed "former member")."""
    DigestDelivery.objects.filter(manager=user).delete()
