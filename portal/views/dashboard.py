from django.views.generic import TemplateView

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
        return ctx
