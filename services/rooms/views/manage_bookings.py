"""Managers' views of their rooms' bookings: the list, the approval queue and its
decisions, the week's utilisation."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.base.columns import columns_for
from portal.base.filtering import filter_results
from portal.base.permissions import MemberRequiredMixin
from portal.base.views import REFUSED, run_action

from ..actions.approvals import booking_approve, booking_reject
from ..columns import BOOKING_COLUMNS
from ..enums import BookingStatus
from ..filters import BookingManageFilter
from ..forms import DecisionForm, chosen_week
from ..selectors import bookings_managed_by, rooms_managed_by, utilisation
from .bookings import PAGE_SIZE, booking_or_404
from .finder import weeks_around
from .manage_rooms import ManagerMixin


class BookingDecideView(MemberRequiredMixin, View):
    """Approve or reject a pending booking (or all pending dates of its series)."""

    decision = "approve"

    def post(self, request, pk: int):
        booking = booking_or_404(request.user, pk, perm="rooms.decide_booking")
        form = DecisionForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        whole_series = data.get("whole_series", False)
        if self.decision == "approve":
            done = run_action(
                booking_approve,
                errors_to=request,
                actor=request.user,
                booking=booking,
                whole_series=whole_series,
            )
            if done is not REFUSED:
                messages.success(request, _("%(n)s booking(s) approved.") % {"n": len(done)})
        else:
            done = run_action(
                booking_reject,
                errors_to=request,
                actor=request.user,
                booking=booking,
                reason=data.get("reason", ""),
                whole_series=whole_series,
            )
            if done is not REFUSED:
                messages.success(request, _("%(n)s booking(s) rejected.") % {"n": len(done)})
        nxt = request.POST.get("next", "")
        if nxt and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(nxt)
        return redirect("rooms:approval_queue")


class BookingManageListView(ManagerMixin, TemplateView):
    template_name = "rooms/booking_manage_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filterset = BookingManageFilter(
            self.request.GET or None,
            queryset=bookings_managed_by(user).order_by("-start"),
            user=user,
        )
        page = Paginator(filter_results(filterset), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "bookings": page.object_list,
            "query": query.urlencode(),
            "columns": columns_for(user, BOOKING_COLUMNS),
        }


class ApprovalQueueView(ManagerMixin, TemplateView):
    template_name = "rooms/approval_queue.html"

    def get_context_data(self, **kwargs):
        bookings = (
            bookings_managed_by(self.request.user)
            .filter(status=BookingStatus.PENDING)
            .order_by("start")
        )
        page = Paginator(bookings, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "bookings": page.object_list,
            "decision_form": DecisionForm(),
        }


class UtilisationView(ManagerMixin, TemplateView):
    template_name = "rooms/utilisation.html"

    def get_context_data(self, **kwargs):
        monday, week_error = chosen_week(self.request.GET)
        rows = utilisation(rooms_managed_by(self.request.user).filter(is_active=True), monday)
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "week_start": monday,
            "week_end": monday + timedelta(days=6),
            "week_error": week_error,
            **weeks_around(monday, timezone.localdate()),
        }
