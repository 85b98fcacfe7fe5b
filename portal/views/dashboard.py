from django.views.generic import TemplateView

from clusters.partners.actions import dashboard_section
from portal.base.permissions import MemberRequiredMixin

from ..dashboards.member import member_dashboard


class DashboardView(MemberRequiredMixin, TemplateView):
    """The signed-in person's start page: every item one click from its page."""

    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            **member_dashboard(user),
            **dashboard_section(user),
        }
