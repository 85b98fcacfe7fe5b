from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from clusters.enums import StaffRole
from clusters.models import Cluster, ClusterRole
from portal.base.models import Notification


class HomeView(TemplateView):
    """Public front page; signed-in members get their dashboard instead."""

    template_name = "portal/home.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not request.user.is_approved_member:
                return redirect("clusters:application_status")
            return redirect("dashboard")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["clusters"] = Cluster.objects.order_by("country", "name")
        ctx["upcoming_events"] = _public_upcoming_events()
        return ctx


def _public_upcoming_events():
    from events.selectors import public_upcoming_events

    return public_upcoming_events(limit=6)


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "portal/notification_list.html"

    def get_context_data(self, **kwargs):
        qs = self.request.user.notifications.all()
        page = Paginator(qs, 25).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page}


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one (or, without pk, all) as read; follow the link when there is one."""

    def post(self, request, pk: int | None = None):
        now = timezone.now()
        if pk is None:
            request.user.notifications.filter(read_at__isnull=True).update(read_at=now)
            return redirect("notification_list")
        n = get_object_or_404(Notification, pk=pk, recipient=request.user)
        if n.read_at is None:
            n.read_at = now
            n.save(update_fields=["read_at"])
        return redirect(n.url or "notification_list")


class HelpView(TemplateView):
    """Help and contact: the same footer link on every page leads here (WCAG 3.2.6).
    A signed-in person sees the managers of their clusters, whom they may write to."""

    template_name = "portal/help.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        contacts = []
        if user.is_authenticated:
            cluster_ids = user.active_cluster_ids | set(user.staff_roles)
            contacts = list(
                ClusterRole.objects.filter(cluster_id__in=cluster_ids, role=StaffRole.MANAGER)
                .select_related("cluster", "user")
                .order_by("cluster__name", "user__last_name", "user__first_name")
            )
        ctx["contacts"] = contacts
        return ctx
