"""A member's bookings: booking a room (once or recurring), the list, a booking's
page, its calendar file, cancelling."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from clusters.branding import brand_context
from portal.base.audit import audit
from portal.base.confirm import confirmed
from portal.base.permissions import MemberRequiredMixin, get_permitted_object_or_404
from portal.base.views import REFUSED, run_action

from ..actions.bookings import booking_create
from ..actions.cancellation import booking_cancel, booking_series_cancel
from ..actions.series import booking_series_create, booking_series_preview
from ..enums import BookingStatus
from ..forms import BookingForm, CancelForm, DecisionForm, SeriesCancelForm
from ..ics import booking_ics
from ..models import Booking, BookingSeries, Room
from ..rules import is_booking_party

PAGE_SIZE = 25


class BookingCreateView(MemberRequiredMixin, FormView):
    """Book a room once, or preview a recurring booking and book its free dates."""

    template_name = "rooms/booking_create.html"
    form_class = BookingForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.room = get_permitted_object_or_404(
                request.user,
                "rooms.book_room",
                Room.objects.select_related("cluster"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["room"] = self.room
        return kwargs

    def get_initial(self):
        initial = {}
        for key in ("date", "start", "end", "attendees"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        if "start" in initial and "end" not in initial:
            # From a free interval of the week view: suggest the room's usual hour.
            try:
                start = datetime.strptime(initial["start"], "%H:%M")
            except ValueError:
                return initial
            length = max(self.room.min_minutes, min(60, self.room.max_minutes))
            end = start + timedelta(minutes=length)
            if end.date() == start.date():
                initial["end"] = end.strftime("%H:%M")
        return initial

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **brand_context(self.room.cluster),
            "room": self.room,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        if data.get("repeat"):
            return self._series(form)
        start, end = form.instants()
        booking = run_action(
            booking_create,
            errors_to=form,
            actor=self.request.user,
            room=self.room,
            start=start,
            end=end,
            title=data["title"],
            attendees=data["attendees"],
            notes=data["notes"],
        )
        if booking is REFUSED:
            return self.form_invalid(form)
        if booking.status == BookingStatus.PENDING:
            messages.success(
                self.request,
                _("Your request was sent. The time is held for you until a manager decides."),
            )
        else:
            messages.success(self.request, _("The room is booked."))
        return redirect(booking.get_absolute_url())

    def _series(self, form):
        data = form.cleaned_data
        series_args = {
            "first_day": data["date"],
            "start_time": data["start"],
            "end_time": data["end"],
            "frequency": data["repeat"],
            "count": data.get("count"),
            "until": data.get("until"),
        }
        choice = self.request.POST.get("choice")
        if choice == "nothing":
            messages.info(self.request, _("Nothing was booked."))
            return redirect(self.room.get_absolute_url())
        if choice == "free":
            made = run_action(
                booking_series_create,
                errors_to=form,
                actor=self.request.user,
                room=self.room,
                title=data["title"],
                attendees=data["attendees"],
                notes=data["notes"],
                **series_args,
            )
            if made is REFUSED:
                return self.form_invalid(form)
            _series, booked, skipped = made
            messages.success(
                self.request,
                _("%(booked)s dates booked, %(skipped)s skipped.")
                % {"booked": len(booked), "skipped": len(skipped)},
            )
            return redirect(booked[0].get_absolute_url())
        checks = run_action(
            booking_series_preview,
            errors_to=form,
            actor=self.request.user,
            room=self.room,
            attendees=data["attendees"],
            **series_args,
        )
        if checks is REFUSED:
            return self.form_invalid(form)
        return render(
            self.request,
            "rooms/booking_preview.html",
            {
                "room": self.room,
                "form": form,
                "checks": checks,
                "free_count": sum(1 for c in checks if c.free),
                "conflict_count": sum(1 for c in checks if not c.free),
            },
        )


def booking_or_404(user, pk: int, perm: str = "rooms.view_booking") -> Booking:
    return get_permitted_object_or_404(
        user,
        perm,
        Booking.objects.select_related("room__cluster", "organisation", "person", "series"),
        pk=pk,
    )


class BookingListView(MemberRequiredMixin, TemplateView):
    """The person's bookings, the calendar feed link and its reset."""

    template_name = "rooms/booking_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        qs = Booking.objects.filter(person=user).select_related("room__cluster", "series")
        upcoming = qs.filter(end__gte=now).order_by("start")
        page = Paginator(upcoming, PAGE_SIZE).get_page(self.request.GET.get("page"))
        past = qs.filter(end__lt=now).order_by("-start")[:10]
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "bookings": page.object_list,
            "past": past,
            "feed_url": self.request.build_absolute_uri(
                reverse("calendar_feed", args=[user.calendar_token])
            ),
        }


class BookingDetailView(MemberRequiredMixin, TemplateView):
    template_name = "rooms/booking_detail.html"

    def get_context_data(self, pk: int, **kwargs):
        user = self.request.user
        booking = booking_or_404(user, pk)
        now = timezone.now()
        can_decide = user.has_perm("rooms.decide_booking", booking)
        is_party = is_booking_party(user, booking)
        if not is_party:
            audit(user, "view", booking, cluster_id=booking.room.cluster_id)
        can_cancel = booking.is_active and (
            (is_party and booking.start > now) or (can_decide and booking.end > now)
        )
        return {
            **super().get_context_data(**kwargs),
            "booking": booking,
            "room": booking.room,
            "can_decide": can_decide and booking.is_pending,
            "can_cancel": can_cancel,
            "cancel_needs_reason": can_decide and booking.person_id != user.pk,
            "cancel_form": CancelForm(),
            "decision_form": DecisionForm(),
            "series_form": SeriesCancelForm(
                initial={"from_date": timezone.localdate(booking.start, booking.room.tzinfo)}
            )
            if booking.series_id and can_cancel
            else None,
            "series_bookings": list(
                booking.series.bookings.order_by("start").only("pk", "start", "end", "status")
            )
            if booking.series_id
            else [],
        }


class BookingCancelView(MemberRequiredMixin, View):
    def post(self, request, pk: int):
        booking = booking_or_404(request.user, pk)
        if not confirmed(request):
            return redirect(booking.get_absolute_url())
        form = CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        cancelled = run_action(
            booking_cancel,
            errors_to=request,
            actor=request.user,
            booking=booking,
            reason=reason,
        )
        if cancelled is not REFUSED:
            messages.success(request, _("The booking was cancelled."))
        return redirect(booking.get_absolute_url())


class SeriesCancelView(MemberRequiredMixin, View):
    def post(self, request, pk: int):
        series = BookingSeries.objects.select_related("room__cluster").filter(pk=pk).first()
        first = series and series.bookings.select_related("room__cluster").first()
        if first is None or not request.user.has_perm("rooms.view_booking", first):
            raise Http404
        if not confirmed(request):
            return redirect(first.get_absolute_url())
        form = SeriesCancelForm(request.POST)
        if not form.is_valid():
            if form.has_error("from_date", "out_of_window"):
                messages.error(request, " ".join(form.errors["from_date"]))
            else:
                messages.error(request, _("Choose the first date to cancel."))
            return redirect(first.get_absolute_url())
        cancelled = run_action(
            booking_series_cancel,
            errors_to=request,
            actor=request.user,
            series=series,
            from_date=form.cleaned_data["from_date"],
            reason=form.cleaned_data["reason"],
        )
        if cancelled is not REFUSED:
            messages.success(request, _("%(n)s dates were cancelled.") % {"n": len(cancelled)})
        return redirect(first.get_absolute_url())


class BookingIcsView(MemberRequiredMixin, View):
    def get(self, request, pk: int):
        booking = booking_or_404(request.user, pk)
        response = HttpResponse(booking_ics([booking]), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
        return response
