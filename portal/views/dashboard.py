from django.views.generic import TemplateView

from clusters.partners.views import dashboard_context as partners_context
from clusters.partners.views import report_clusters as partners_report_clusters
from portal.permissions import MemberRequiredMixin


class DashboardView(MemberRequiredMixin, TemplateView):
    """The signed-in person's start page."""

    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        ctx = super().get_context_data(**kwargs)
        ctx["organisation"] = user.organisation
        ctx["memberships"] = (
            user.organisation.memberships.select_related("cluster") if user.organisation_id else []
        )
        ctx["notifications"] = user.notifications.filter(read_at__isnull=True)[:5]
        ctx.update(partners_context(user))
        ctx["partner_report_clusters"] = partners_report_clusters(user)
        return ctx
