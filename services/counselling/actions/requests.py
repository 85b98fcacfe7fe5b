"""Counselling requests: submission, workflow moves, conversation, rating, digests.

Every write locks the request row (`select_for_update`) and re-checks the
workflow on the locked row, so of two people acting at once only the first
succeeds; the second gets a readable refusal and nothing changes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.enums import StaffRole
from clusters.models import Cluster, ClusterRole, User
from portal.base.audit import audit
from portal.base.errors import ActionError
from portal.base.notifications import notify
from services.catalogue.models import ServiceOffering

from .. import workflow
from ..enums import OVERDUE_STATUSES, RequestStatus, Urgency
from ..models import (
    CounsellingRequest,
    DigestDelivery,
    RequestAttachment,
    RequestMessage,
    RequestTransition,
    request_reference,
)
from ..rules import request_roles
from ..selectors import assignable_staff, digest_for_manager
from ..uploads import MAX_FILES, validate_attachment


def _url(req: CounsellingRequest) -> str:
    return reverse("services:request_detail", args=[req.pk])


def _managers(cluster_id: int):
    return User.objects.filter(
        cluster_roles__cluster_id=cluster_id, cluster_roles__role=StaffRole.MANAGER, is_active=True
    ).distinct()


def _validate_files(files) -> list[tuple[object, str, str]]:
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ActionError(_("Attach at most %(n)d files.") % {"n": MAX_FILES}, field="attachments")
    checked = []
    for f in files:
        try:
            content_type, ext = validate_attachment(f)
        except ValidationError as exc:
            raise ActionError(" ".join(exc.messages), field="attachments") from exc
        checked.append((f, content_type, ext))
    return checked


def _store_files(req, message, checked, actor, saved: list[str]) -> None:
    storage = storages["private"]
    for f, content_type, ext in checked:
        f.seek(0)
        name = storage.save(f"requests/{req.pk}/{uuid.uuid4().hex}.{ext}", f)
        saved.append(name)
        RequestAttachment.objects.create(
            request=req,
            message=message,
            stored_name=name,
            original_name=(getattr(f, "name", "") or f"file.{ext}").rsplit("/", 1)[-1][:255],
            content_type=content_type,
            size=f.size,
            uploaded_by=actor,
        )


def _discard(saved: list[str]) -> None:
    storage = storages["private"]
    for name in saved:
        storage.delete(name)


def due_date_for(cluster: Cluster, urgency: str, start: date) -> date:
    days = {
        Urgency.NORMAL: cluster.due_days_normal,
        Urgency.HIGH: cluster.due_days_high,
        Urgency.URGENT: cluster.due_days_urgent,
    }[urgency]
    return workflow.add_working_days(start, days)


def request_submit(
    *,
    actor: User,
    cluster: Cluster,
    subject: str,
    details: str,
    offering: ServiceOffering | None = None,
    category=None,
    urgency: str = Urgency.NORMAL,
    preferred_format: str = "online",
    attachments=(),
) -> CounsellingRequest:
    """A member asks their cluster for help; confirmation to them, notice to managers."""
    if not actor.organisation_id or cluster.pk not in actor.active_cluster_ids:
        raise ActionError(
            _("Your organisation is not an active member of this cluster."), field="cluster"
        )
    if offering is not None:
        if offering.cluster_id != cluster.pk or not offering.is_active:
            raise ActionError(_("Choose a service this cluster offers."), field="offering")
        category = offering.category
    if category is None:
        raise ActionError(_("Choose a service or a category."), field="category")
    checked = _validate_files(attachments)
    saved: list[str] = []
    try:
        with transaction.atomic():
            locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
            number = (
                CounsellingRequest.objects.filter(cluster=locked).aggregate(n=Max("number"))["n"]
                or 0
            ) + 1
            now = timezone.now()
            req = CounsellingRequest.objects.create(
                reference=request_reference(locked, number),
                number=number,
                cluster=locked,
                requester_organisation_id=actor.organisation_id,
                requester=actor,
                offering=offering,
                category=category,
                subject=subject.strip(),
                details=details.strip(),
                urgency=urgency,
                preferred_format=preferred_format,
                status=RequestStatus.SUBMITTED,
                due_date=due_date_for(locked, urgency, now.astimezone(locked.tzinfo).date()),
                created=now,
                updated=now,
            )
            RequestTransition.objects.create(
                request=req, actor=actor, move="submit", to_status=RequestStatus.SUBMITTED
            )
            _store_files(req, None, checked, actor, saved)
            notify(
                actor,
                template="services/email/request_submitted",
                context={"request": req},
                url=_url(req),
            )
            for manager in _managers(cluster.pk):
                notify(
                    manager,
                    template="services/email/request_received",
                    context={"request": req},
                    url=_url(req),
                )
    except BaseException:
        _discard(saved)
        raise
    return req


def _lock(request_id: int) -> CounsellingRequest:
    try:
        return (
            CounsellingRequest.objects.select_for_update(of=("self",))
            .select_related("cluster", "requester", "assignee", "category")
            .get(pk=request_id)
        )
    except CounsellingRequest.DoesNotExist as exc:
        raise PermissionDenied from exc


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
        req = _lock(request_id)
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
        notify(req.assignee, template="services/email/request_assigned", context=ctx, url=_url(req))
    if move == "reassign" and previous and previous != actor and previous.is_active:
        notify(previous, template="services/email/request_update", context=ctx, url=_url(req))
    if move in MEMBER_NOTICES and req.requester and req.requester != actor:
        notify(req.requester, template="services/email/request_update", context=ctx, url=_url(req))
    if move in ADVISOR_NOTICES and req.assignee and req.assignee != actor:
        notify(req.assignee, template="services/email/request_update", context=ctx, url=_url(req))


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
    checked = _validate_files(attachments)
    saved: list[str] = []
    try:
        with transaction.atomic():
            req = _lock(request_id)
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
            _store_files(req, message, checked, actor, saved)
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
        _discard(saved)
        raise
    return message


def _notify_message(req, message, actor, roles) -> None:
    ctx = {"request": req, "message": message, "author": actor}
    url = _url(req)
    if message.internal:
        recipients = {req.assignee} if req.assignee else set(_managers(req.cluster_id))
        template = "services/email/request_internal_note"
    elif "member" in roles and not (roles & {"manager", "advisor"}):
        recipients = {req.assignee} if req.assignee else set(_managers(req.cluster_id))
        template = "services/email/request_message"
    else:
        recipients = {req.requester} if req.requester else set()
        template = "services/email/request_message"
    for person in recipients:
        if person is not None and person != actor and person.is_active:
            notify(person, template=template, context=ctx, url=url)


def request_rate(
    *, actor: User, request_id: int, satisfaction: int, comment: str = ""
) -> CounsellingRequest:
    with transaction.atomic():
        req = _lock(request_id)
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
                url=_url(req),
            )
    return req


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


def send_overdue_digests(*, today: date | None = None) -> int:
    """One digest per manager and day, of overdue and unassigned requests; none if nothing."""
    today = today or timezone.now().date()
    clusters_of: dict[int, set[int]] = defaultdict(set)
    people = {}
    for role in ClusterRole.objects.filter(
        role=StaffRole.MANAGER, user__is_active=True
    ).select_related("user"):
        clusters_of[role.user_id].add(role.cluster_id)
        people[role.user_id] = role.user
    all_clusters = set().union(*clusters_of.values()) if clusters_of else set()
    pending = list(digest_for_manager(all_clusters, today))
    sent = 0
    for user_id, cluster_ids in clusters_of.items():
        mine = [r for r in pending if r.cluster_id in cluster_ids]
        if not mine:
            continue
        overdue = [r for r in mine if r.status in OVERDUE_STATUSES and r.due_date < today]
        unassigned = [
            r for r in mine if r.status in (RequestStatus.SUBMITTED, RequestStatus.TRIAGED)
        ]
        with transaction.atomic():
            try:
                with transaction.atomic():
                    delivery = DigestDelivery.objects.create(
                        manager_id=user_id, date=today, request_count=len(mine)
                    )
            except IntegrityError:
                continue  # already claimed today: never two digests on one day
            notify(
                people[user_id],
                template="services/email/overdue_digest",
                context={"overdue": overdue, "unassigned": unassigned, "date": today},
                url=reverse("services:queue"),
            )
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["sent_at"])
        sent += 1
    return sent
