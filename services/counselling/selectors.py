"""Reads of counselling requests that views, tasks and other apps reuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from clusters.enums import StaffRole
from clusters.models import User

from .enums import OVERDUE_STATUSES, RequestStatus
from .models import CounsellingRequest, RequestAttachment, RequestMessage, RequestTransition


def assignable_staff(cluster_id: int, actor: User | None) -> QuerySet[User]:
    """Who a request of this cluster can be given to: its active advisors and, so that
    a manager can take a request on, the acting manager of that cluster."""
    staff = Q(cluster_roles__cluster_id=cluster_id, cluster_roles__role=StaffRole.ADVISOR)
    if (
        actor is not None
        and actor.is_active
        and (cluster_id in actor.managed_cluster_ids or actor.is_network_admin)
    ):
        staff |= Q(pk=actor.pk)
    return User.objects.filter(staff, is_active=True).distinct()


def _request_list_qs() -> QuerySet[CounsellingRequest]:
    return CounsellingRequest.objects.select_related(
        "cluster", "category", "offering", "requester_organisation", "requester", "assignee"
    )


# What a row of a request table (services/_request_rows.html) reads: the related
# rows' names only, not their texts (an organisation's description, its search vector).
ROW_FIELDS = (
    "reference",
    "subject",
    "status",
    "urgency",
    "created",
    "due_date",
    "first_response_at",
    "resolved_at",
    "cluster__name",
    "category__name",
    "requester_organisation__name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__email",
    "assignee__is_active",
)


def request_rows(qs: QuerySet[CounsellingRequest]) -> QuerySet[CounsellingRequest]:
    """``qs`` as a request table shows it, in one query whatever the number of rows."""
    return (
        qs.select_related(None)
        .select_related("cluster", "category", "requester_organisation", "assignee")
        .only(*ROW_FIELDS)
    )


def requests_visible_to(user) -> QuerySet[CounsellingRequest]:
    """Every request `user` may open: the same answer as services.counselling.rules
    (tests/security/test_selectors_match_rules.py proves it for every role)."""
    qs = _request_list_qs()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_network_admin or user.is_superuser:
        return qs
    cond = Q(assignee=user) | Q(cluster_id__in=user.managed_cluster_ids)
    if user.organisation_id:
        cond |= Q(requester_organisation_id=user.organisation_id)
    return qs.filter(cond)


def requests_of_organisation(user) -> QuerySet[CounsellingRequest]:
    if not user.organisation_id or not user.is_active:
        return CounsellingRequest.objects.none()
    return _request_list_qs().filter(requester_organisation_id=user.organisation_id)


def requests_assigned_to(user) -> QuerySet[CounsellingRequest]:
    return _request_list_qs().filter(assignee=user)


def queue_for(user) -> QuerySet[CounsellingRequest]:
    """The requests of the clusters `user` manages (all of them for a network admin)."""
    qs = _request_list_qs()
    if user.is_network_admin or user.is_superuser:
        return qs
    return qs.filter(cluster_id__in=user.managed_cluster_ids)


def overdue_q(today: date) -> Q:
    return Q(status__in=OVERDUE_STATUSES, due_date__lt=today)


def unassigned_q() -> Q:
    return Q(status__in=[RequestStatus.SUBMITTED, RequestStatus.TRIAGED])


def request_detail_qs() -> QuerySet[CounsellingRequest]:
    return _request_list_qs()


@dataclass
class TimelineEntry:
    when: datetime
    kind: str  # "move" or "message"
    item: object


def timeline(
    counselling_request: CounsellingRequest, *, include_internal: bool
) -> list[TimelineEntry]:
    """Moves and messages of a request in time order; internal notes only for staff."""
    messages = RequestMessage.objects.filter(request=counselling_request).select_related("author")
    if not include_internal:
        messages = messages.filter(internal=False)
    messages = messages.prefetch_related(
        Prefetch("attachments", queryset=RequestAttachment.objects.order_by("created", "id"))
    )
    moves = RequestTransition.objects.filter(request=counselling_request).select_related("actor")
    entries = [TimelineEntry(m.created, "move", m) for m in moves]
    entries += [TimelineEntry(m.created, "message", m) for m in messages]
    # On a tie the message comes first: a question, then "waiting for member".
    entries.sort(key=lambda e: (e.when, 0 if e.kind == "message" else 1))
    return entries


def request_attachments(counselling_request: CounsellingRequest) -> QuerySet[RequestAttachment]:
    """Files attached when the request was submitted (not to a message)."""
    return RequestAttachment.objects.filter(request=counselling_request, message__isnull=True)


def cluster_today(cluster) -> date:
    return timezone.now().astimezone(cluster.tzinfo).date()


def digest_for_manager(cluster_ids, today: date) -> QuerySet[CounsellingRequest]:
    return (
        _request_list_qs()
        .filter(cluster_id__in=cluster_ids)
        .filter(overdue_q(today) | unassigned_q())
        .order_by("cluster__name", "due_date", "id")
    )


def message_counts(qs) -> QuerySet:
    return qs.annotate(
        public_messages=Count("messages", filter=Q(messages__internal=False), distinct=True)
    )
