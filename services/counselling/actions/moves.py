"""Workflow moves of a request (see services/counselling/workflow.py), by a person or
by the system (the auto-close of resolved requests).

Every write locks the request row (`select_for_update`) and re-checks the
workflow on the locked row, so of two people acting at once only the first
succeeds; the second gets a readable refusal and nothing changes.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.audit import audit
from portal.base.errors import ActionError
from portal.base.notifications import notify

from .. import workflow
from ..enums import RequestStatus
from ..models import CounsellingRequest, RequestTransition
from ..rules import request_roles
from ..selectors import assignable_staff
from .shared import lock_request, request_url

MEMBER_NOTICES = {"assign", "ask", "resolve", "decline", "close"}
ADVISOR_NOTICES = {"resume", "reopen", "withdraw", "close", "decline"}


def request_move(
    *,
    actor: User | None,
    request_id: int,
    move: str,
    note: str = "",
    assignee: User | None = None,
    expected_status: str | None = None,
    now: datetime | None = None,
    quiet: bool = False,
) -> CounsellingRequest:
    """Apply one workflow move. `actor=None` is the system (the auto-close task).

    `expected_status` is the status the person saw: if the request moved
    meanwhile, the move is refused rather than applied to a state they did not see.
    """
    note = (note or "").strip()
    with transaction.atomic():
        req = lock_request(request_id)
        roles = {"system"} if actor is None else request_roles(actor, req)
        if not roles:
            raise PermissionDenied
        if expected_status and expected_status != req.status:
            raise ActionError(
                _(
                    "Someone else changed this request meanwhile: it is now “%(status)s”. "
                    "Nothing was changed."
                )
                % {"status": req.get_status_display()}
            )
        now = now or timezone.now()
        try:
            target = workflow.check_move(
                move, req.status, roles, resolved_at=req.resolved_at, now=now
            )
        except workflow.WorkflowError as exc:
            raise ActionError(exc.message) from exc
        spec = workflow.MOVES[move]
        if spec.needs_note and not note:
            messages = {
                "decline": _("Give the member a reason for declining."),
                "resolve": _("Describe the outcome for the member."),
                "reopen": _("Say what is still missing."),
            }
            raise ActionError(messages[move], field="note")
        fields = ["status", "updated"]
        previous = req.assignee
        if move in ("assign", "reassign"):
            if (
                assignee is None
                or not assignable_staff(req.cluster_id, actor).filter(pk=assignee.pk).exists()
            ):
                raise ActionError(_("Choose an advisor of this cluster."), field="assignee")
            if move == "reassign" and assignee.pk == req.assignee_id:
                raise ActionError(
                    _("The request is already assigned to %(name)s.")
                    % {"name": assignee.display_name},
                    field="assignee",
                )
            req.assignee = assignee
            fields.append("assignee")
        elif move == "decline":
            req.decline_reason = note
            fields.append("decline_reason")
        elif move == "resolve":
            req.outcome = note
            req.resolved_at = now
            fields += ["outcome", "resolved_at"]
            if req.first_response_at is None:
                req.first_response_at = now
                fields.append("first_response_at")
        elif move == "reopen":
            req.resolved_at = None
            fields.append("resolved_at")
        elif move == "close":
            req.closed_at = now
            fields.append("closed_at")
        from_status = req.status
        req.status = target
        req.updated = now
        req.save(update_fields=fields)
        RequestTransition.objects.create(
            request=req,
            actor=actor,
            move=move,
            from_status=from_status,
            to_status=target,
            note=note,
            created=now,
        )
        if actor is not None and req.requester_organisation_id != actor.organisation_id:
            detail = f"{from_status} → {target}"
            if move == "reassign":
                assert req.assignee is not None  # reassign has set the new assignee above
                before = previous.display_name if previous else "-"
                detail = f"assignee: {before} → {req.assignee.display_name}"
            audit(actor, "change", req, cluster_id=req.cluster_id, detail=detail)
        if not quiet:  # quiet: the move rides on a message, which is notice enough
            _notify_move(req, actor, move, note, previous=previous)
    return req


def _notify_move(req: CounsellingRequest, actor, move: str, note: str, previous=None) -> None:
    spec = workflow.MOVES[move]
    ctx = {"request": req, "move": spec.label, "note": note, "actor": actor}
    if move in ("assign", "reassign") and req.assignee and req.assignee != actor:
        notify(
            req.assignee,
            template="services/email/request_assigned",
            context=ctx,
            url=request_url(req),
            cluster=req.cluster,
        )
    if move == "reassign" and previous and previous != actor and previous.is_active:
        notify(
            previous,
            template="services/email/request_update",
            context=ctx,
            url=request_url(req),
            cluster=req.cluster,
        )
    if move in MEMBER_NOTICES and req.requester and req.requester != actor:
        notify(
            req.requester,
            template="services/email/request_update",
            context=ctx,
            url=request_url(req),
            cluster=req.cluster,
        )
    if move in ADVISOR_NOTICES and req.assignee and req.assignee != actor:
        notify(
            req.assignee,
            template="services/email/request_update",
            context=ctx,
            url=request_url(req),
            cluster=req.cluster,
        )


def request_auto_close(*, now: datetime | None = None) -> int:
    """Close requests resolved more than 14 days ago (the member did not reopen them)."""
    now = now or timezone.now()
    ids = list(
        CounsellingRequest.objects.filter(
            status=RequestStatus.RESOLVED, resolved_at__lte=now - workflow.AUTO_CLOSE_AFTER
        ).values_list("pk", flat=True)
    )
    closed = 0
    for pk in ids:
        try:
            request_move(actor=None, request_id=pk, move="close", now=now)
        except ActionError:
            continue  # moved meanwhile (reopened or closed by a person)
        closed += 1
    return closed
