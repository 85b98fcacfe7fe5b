"""Managers' dashboard, the network view and the trends page."""

import csv

from django.http import Http404, HttpResponse
from django.views.generic import TemplateView

from clusters.models import Cluster

from ..dashboards import figures
from ..dashboards.cache import cached
from ..dashboards.periods import PeriodForm
from ..dashboards.tables import manager_tables
from ..permissions import PermissionRequiredMixin


class ClusterScopeMixin(PermissionRequiredMixin):
    """The cluster a manager looks at: one they manage (network admins: any)."""

    permission_required = "portal.view_cluster_insights"

    def get_cluster(self) -> Cluster:
        user = self.request.user
        qs = (
            Cluster.objects.all()
            if user.is_network_admin
            else Cluster.objects.filter(pk__in=user.managed_cluster_ids)
        )
        slug = self.request.GET.get("cluster")
        cluster = (qs.filter(slug=slug) if slug else qs).order_by("name").first()
        if cluster is None:
            raise Http404
        return cluster

    def get_tables(self):
        cluster = self.get_cluster()
        form = PeriodForm(self.request.GET or None)
        period = form.period(cluster.time_zone)
        data = cached(
            f"cluster{cluster.pk}",
            period.key(),
            lambda: figures.manager_dashboard([cluster.pk], period),
        )
        return cluster, form, period, manager_tables(data)


class ManagerDashboardView(ClusterScopeMixin, TemplateView):
    template_name = "portal/insights/manager_dashboard.html"

    def get_context_data(self, **kwargs):
        cluster, form, period, tables = self.get_tables()
        user = self.request.user
        choices = (
            Cluster.objects.all()
            if user.is_network_admin
            else Cluster.objects.filter(pk__in=user.managed_cluster_ids)
        )
        return {
            **super().get_context_data(**kwargs),
            "cluster": cluster,
            "clusters": choices.order_by("name"),
            "form": form,
            "period": period,
            "previous": period.previous(),
            "tables": tables,
            "query": self.request.GET.urlencode(),
        }


class ManagerDashboardCsvView(ClusterScopeMixin, TemplateView):
    def get(self, request, table: str):
        cluster, _form, period, tables = self.get_tables()
        match = next((t for t in tables if t.id == table), None)
        if match is None:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{cluster.slug}-{table}-{period.start}-{period.end}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(match.headers)
        writer.writerows(match.rows)
        return response
