"""A member asks their cluster for help: the request, its number and due date, its
files, the confirmation to the member and the notice to the managers."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Cluster, User
from portal.base.errors import ActionError
from portal.base.notifications import notify
from services.catalogue.models import ServiceOffering

from .. import workflow
from ..enums import RequestStatus, Urgency
from ..models import CounsellingRequest, RequestTransition, request_reference
from .files import discard_files, store_files, validate_files
from .shared import cluster_managers, request_url


def due_date_for(cluster: Cluster, urgency: str, start: date) -> date:
    days_by_urgency: dict[str, int] = {
        Urgency.NORMAL: cluster.due_days_normal,
        Urgency.HIGH: cluster.due_days_high,
        Urgency.URGENT: cluster.due_days_urgent,
    }
    days = days_by_urgency[urgency]
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
    checked = validate_files(attachments)
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
            store_files(req, None, checked, actor, saved)
            notify(
                actor,
                template="services/email/request_submitted",
                context={"request": req},
                url=request_url(req),
                cluster=req.cluster,
            )
            for manager in cluster_managers(cluster.pk):
                notify(
                    manager,
                    template="services/email/request_received",
                    context={"request": req},
                    url=request_url(req),
                    cluster=req.cluster,
                )
    except BaseException:
        discard_files(saved)
        raise
    return req
