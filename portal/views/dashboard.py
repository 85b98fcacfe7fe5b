from django.db.models import Q
from django.utils import timezone
from django.views.generic import TemplateView

from clusters.partners.views import dashboard_context as partners_context
from clusters.partners.views import report_clusters as partners_report_clusters
from events.brokerage.models import Meeting
from events.selectors import registrations_of
from portal.base.permissions import MemberRequiredMixin
from services.counselling.models import OPEN_STATUSES, RequestStatus
from services.counselling.selectors import requests_assigned_to, requests_of_organisation
from services.rooms.enums import BookingStatus
from services.rooms.models import Booking

from ..dashboards.member import waits_for


class DashboardView(MemberRequiredMixin, TemplateView):
    """The signed-in person's start page: every item one click from its page."""

    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        ctx = super().get_context_data(**kwargs)
        ctx["organisation"] = user.organisation
        ctx["memberships"] = (
            user.organisation.memberships.select_related("cluster") if user.organisation_id else []
        )
        ctx["notifications"] = user.notifications.filter(read_at__isnull=True)[:5]
        open_requests = list(
            requests_of_organisation(user)
            .filter(status__in=OPEN_STATUSES)
            .order_by("due_date")[:10]
        )
        ctx["open_requests"] = [(r, waits_for(r)) for r in open_requests]
        ctx["resolved_to_rate"] = requests_of_organisation(user).filter(
            status=RequestStatus.RESOLVED, satisfaction__isnull=True
        )[:5]
        ctx["assigned_requests"] = (
            requests_assigned_to(user).filter(status__in=OPEN_STATUSES).order_by("due_date")[:10]
        )
        ctx["next_bookings"] = (
            Booking.objects.filter(
                person=user,
                end__gte=now,
                status__in=[BookingStatus.CONFIRMED, BookingStatus.PENDING],
            )
            .select_related("room__cluster")
            .order_by("start")[:5]
        )
        ctx["next_events"] = [r for r in registrations_of(user).filter(event__end__gte=now)[:5]]
        ctx["agenda"] = (
            Meeting.objects.filter(
                Q(a__user=user) | Q(b__user=user), slot__isnull=False, slot__end__gte=now
            )
            .select_related(
                "slot", "event__cluster", "a__organisation", "b__organisation", "a__user", "b__user"
            )
            .order_by("slot__start")[:8]
        )
        ctx.update(partners_context(user))
        ctx["partner_report_clusters"] = partners_report_clusters(user)
        return ctx
