"""Managers' dashboard, the network view and the trends page."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from clusters.models import Cluster
from portal.base.csv_export import csv_download
from portal.base.permissions import PermissionRequiredMixin

from ..dashboards import figures
from ..dashboards.figure_cache import cached
from ..dashboards.periods import PeriodForm
from ..dashboards.tables import manager_tables


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
        response, writer = csv_download(f"{cluster.slug}-{table}-{period.start}-{period.end}.csv")
        writer.writeheader(match.headers)
        writer.writerows(match.rows)
        return response


class NetworkScopeMixin(PermissionRequiredMixin):
    permission_required = "portal.view_network_insights"
    default_days = 365

    def get_tables(self):
        from datetime import timedelta

        from ..dashboards.periods import Period

        form = PeriodForm(self.request.GET or None)
        period = form.period("Europe/Brussels")
        if (
            not (self.request.GET.get("start") or self.request.GET.get("end"))
            and self.default_days != 365
        ):
            period = Period(
                period.end - timedelta(days=self.default_days - 1), period.end, period.tz
            )
        return form, period, self.build(period)


class NetworkView(NetworkScopeMixin, TemplateView):
    template_name = "portal/insights/network.html"
    csv_name = "insights_network_csv"

    def build(self, period):
        from ..dashboards.network import clusters_side_by_side
        from ..dashboards.network_tables import network_tables

        return network_tables(
            cached("network", period.key(), lambda: clusters_side_by_side(period))
        )

    def get_context_data(self, **kwargs):
        form, period, tables = self.get_tables()
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "period": period,
            "tables": tables,
            "query": self.request.GET.urlencode(),
            "csv_base": reverse(self.csv_name, args=["t"]).removesuffix("t.csv"),
        }


class TrendsView(NetworkView):
    template_name = "portal/insights/trends.html"
    csv_name = "insights_trends_csv"
    default_days = 548  # 18 months: enough history for the trends to show

    def build(self, period):
        from ..dashboards.network import trends
        from ..dashboards.network_tables import trend_tables

        return trend_tables(cached("trends", period.key(), lambda: trends(period)))


class NetworkCsvView(NetworkView):
    def get(self, request, table: str):
        _form, period, tables = self.get_tables()
        return _csv_response(tables, table, f"network-{table}-{period.start}-{period.end}.csv")


class TrendsCsvView(TrendsView):
    def get(self, request, table: str):
        _form, period, tables = self.get_tables()
        return _csv_response(tables, table, f"trends-{table}-{period.start}-{period.end}.csv")


def _csv_response(tables, table_id: str, filename: str) -> HttpResponse:
    match = next((t for t in tables if t.id == table_id), None)
    if match is None:
        raise Http404
    response, writer = csv_download(filename)
    writer.writeheader(match.headers)
    writer.writerows(match.rows)
    return response
