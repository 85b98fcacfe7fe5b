"""The conversation on a request (messages, internal notes, their files) and the
member's rating once it is resolved."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.errors import ActionError
from portal.base.notifications import notify

from .. import workflow
from ..enums import RequestStatus
from ..models import CounsellingRequest, RequestMessage
from ..rules import request_roles
from .files import discard_files, store_files, validate_files
from .moves import request_move
from .shared import cluster_managers, lock_request, request_url


def request_message_post(
    *,
    actor: User,
    request_id: int,
    body: str,
    internal: bool = False,
    attachments=(),
    wait_for_member: bool = False,
) -> RequestMessage:
    """Add to the conversation; the other side is told. Internal notes stay with staff.

    A member's answer while the request waits for them puts it back in
    progress; an advisor may ask a question and wait for the member at once.
    """
    body = (body or "").strip()
    if not body:
        raise ActionError(_("Write a message."), field="body")
    checked = validate_files(attachments)
    saved: list[str] = []
    try:
        with transaction.atomic():
            req = lock_request(request_id)
            roles = request_roles(actor, req)
            if not roles:
                raise PermissionDenied
            staff = bool(roles & {"manager", "advisor"})
            if internal and not staff:
                raise PermissionDenied
            if req.status in workflow.FINAL:
                raise ActionError(
                    _("This request is %(status)s; start a new request to continue.")
                    % {"status": req.get_status_display().lower()}
                )
            now = timezone.now()
            message = RequestMessage.objects.create(
                request=req, author=actor, body=body, internal=internal, created=now
            )
            store_files(req, message, checked, actor, saved)
            fields = ["updated"]
            req.updated = now
            if staff and not internal and "member" not in roles and req.first_response_at is None:
                req.first_response_at = now
                fields.append("first_response_at")
            req.save(update_fields=fields)
            _notify_message(req, message, actor, roles)
            if "member" in roles and not staff and req.status == RequestStatus.WAITING:
                request_move(actor=actor, request_id=req.pk, move="resume", now=now, quiet=True)
            elif wait_for_member and not internal and req.status == RequestStatus.IN_PROGRESS:
                request_move(actor=actor, request_id=req.pk, move="ask", now=now, quiet=True)
    except BaseException:
        discard_files(saved)
        raise
    return message


def _notify_message(req, message, actor, roles) -> None:
    ctx = {"request": req, "message": message, "author": actor}
    url = request_url(req)
    if message.internal:
        recipients = {req.assignee} if req.assignee else set(cluster_managers(req.cluster_id))
        template = "services/email/request_internal_note"
    elif "member" in roles and not (roles & {"manager", "advisor"}):
        recipients = {req.assignee} if req.assignee else set(cluster_managers(req.cluster_id))
        template = "services/email/request_message"
    else:
        recipients = {req.requester} if req.requester else set()
        template = "services/email/request_message"
    for person in recipients:
        if person is not None and person != actor and person.is_active:
            notify(person, template=template, context=ctx, url=url, cluster=req.cluster)


def request_rate(
    *, actor: User, request_id: int, satisfaction: int, comment: str = ""
) -> CounsellingRequest:
    with transaction.atomic():
        req = lock_request(request_id)
        if "member" not in request_roles(actor, req):
            raise PermissionDenied
        if req.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
            raise ActionError(_("A request can be rated once it is resolved."))
        if req.satisfaction is not None:
            raise ActionError(_("This request has already been rated. Thank you!"))
        if not 1 <= int(satisfaction) <= 5:
            raise ActionError(_("Rate from 1 to 5."), field="satisfaction")
        req.satisfaction = int(satisfaction)
        req.satisfaction_comment = (comment or "").strip()
        req.rated_at = timezone.now()
        req.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at"])
        if req.assignee and req.assignee != actor:
            notify(
                req.assignee,
                template="services/email/request_rated",
                context={"request": req},
                url=request_url(req),
                cluster=req.cluster,
            )
    return req
