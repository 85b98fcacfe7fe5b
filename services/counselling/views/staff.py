"""The staff's side of counselling: the advisor's assigned requests, the manager's
queue of their clusters' requests and its CSV export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from portal.base.audit import audit
from portal.base.columns import columns_for
from portal.base.csv_export import csv_download
from portal.base.filtering import filter_problems, filter_results
from portal.base.permissions import PermissionRequiredMixin

from ..columns import QUEUE_COLUMNS
from ..enums import RequestStatus
from ..filters import QueueFilter
from ..selectors import queue_for, request_rows, requests_assigned_to
from .lists import PAGE_SIZE, RequestList, mark_overdue


class AssignedListView(PermissionRequiredMixin, RequestList):
    box = "assigned"
    permission_required = "services.view_assigned"

    def get_queryset(self):
        return requests_assigned_to(self.request.user).exclude(
            status__in=[RequestStatus.CLOSED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN]
        )


class QueueView(PermissionRequiredMixin, TemplateView):
    """The manager's queue: every request of their clusters, filterable."""

    template_name = "services/request_queue.html"
    partial_template_name = "services/_queue_results.html"
    permission_required = "services.view_queue"

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            return [self.partial_template_name]
        return [self.template_name]

    def filterset(self):
        user = self.request.user
        return QueueFilter(
            self.request.GET,
            queryset=queue_for(user),
            cluster_ids=None if user.is_network_admin else user.managed_cluster_ids,
        )

    def get_context_data(self, **kwargs):
        filterset = self.filterset()
        page = Paginator(request_rows(filter_results(filterset)), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "requests": mark_overdue(list(page.object_list)),
            "querystring": params.urlencode(),
            "columns": columns_for(self.request.user, QUEUE_COLUMNS),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _hours(delta) -> str:
    return "" if delta is None else f"{delta.total_seconds() / 3600:.1f}"


EXPORT_HEADER = [
    "reference",
    "cluster",
    "organisation",
    "requested by",
    "category",
    "service",
    "subject",
    "urgency",
    "preferred format",
    "status",
    "advisor",
    "submitted",
    "due date",
    "first response",
    "resolved",
    "closed",
    "response time (hours)",
    "resolution time (hours)",
    "satisfaction",
    "satisfaction comment",
    "outcome",
]


class QueueExportView(QueueView):
    """The filtered queue as CSV. Requests only: no messages, so no internal notes."""

    def get(self, request, *args, **kwargs):
        filterset = self.filterset()
        problems = filter_problems(filterset)
        if problems:  # a download cannot show the message beside the field
            return HttpResponseBadRequest(
                "\n".join(str(p) for p in problems), content_type="text/plain; charset=utf-8"
            )
        stamp = timezone.now().date().isoformat()
        response, writer = csv_download(f"requests-{stamp}.csv")
        writer.writeheader(EXPORT_HEADER)
        clusters = set()
        for r in filterset.qs.iterator(chunk_size=500):  # r: one counselling request
            clusters.add(r.cluster)
            row = [
                r.reference,
                r.cluster.name,
                r.requester_organisation.name,
                r.requester.display_name if r.requester else "",
                r.category.name,
                r.offering.title if r.offering else "",
                r.subject,
                r.get_urgency_display(),
                r.get_preferred_format_display(),
                r.get_status_display(),
                r.assignee.display_name if r.assignee else "",
                r.created.isoformat(),
                r.due_date.isoformat(),
                r.first_response_at.isoformat() if r.first_response_at else "",
                r.resolved_at.isoformat() if r.resolved_at else "",
                r.closed_at.isoformat() if r.closed_at else "",
                _hours(r.response_time),
                _hours(r.resolution_time),
                r.satisfaction or "",
                r.satisfaction_comment,
                r.outcome,
            ]
            writer.writerow(row)
        query = request.GET.urlencode() or "no filters"
        for cluster in sorted(clusters, key=lambda c: c.pk):
            audit(
                request.user,
                "export",
                cluster,
                cluster_id=cluster.pk,
                detail=f"request queue CSV ({query}), {writer.rows} rows",
            )
        return response
