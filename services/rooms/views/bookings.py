"""Views of the rooms app: parse input, call an action or a selector, render."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from clusters.models import Cluster
from portal.base.audit import audit
from portal.base.confirm import confirmed
from portal.base.dates import sane_window
from portal.base.filtering import filter_results
from portal.base.permissions import (
    MemberRequiredMixin,
    PermissionRequiredMixin,
    get_permitted_object_or_404,
)
from portal.base.views import REFUSED, run_action

from .. import actions
from ..availability import day_timeline, free_intervals, from_time
from ..enums import BookingStatus
from ..filters import BookingManageFilter
from ..forms import (
    BookingForm,
    CancelForm,
    ClosedDateForm,
    ClosingNoticeForm,
    DecisionForm,
    RoomFinderForm,
    RoomForm,
    SeriesCancelForm,
    chosen_week,
)
from ..ics import booking_ics
from ..models import Booking, BookingSeries, ClosedDate, Room
from ..selectors import (
    active_bookings_between,
    active_bookings_on_day,
    bookings_managed_by,
    local_day_bounds,
    room_rules,
    rooms_bookable_by,
    rooms_managed_by,
    rooms_with_rules,
    to_busy,
    utilisation,
)

PAGE_SIZE = 25


def _round_up(dt, minutes: int = 5):
    """The next whole `minutes` (a free interval that starts now starts at 10:05, not 10:03:27)."""
    extra = (-(dt.minute % minutes)) % minutes
    rounded = dt.replace(second=0, microsecond=0) + timedelta(minutes=extra)
    return rounded if rounded >= dt else rounded + timedelta(minutes=minutes)


# Finding rooms ------------------------------------------------------------------


class RoomFinderView(MemberRequiredMixin, TemplateView):
    """ "For N people, on this date, from-to (or for this long), with these
    amenities": the rooms that fit, with their free times that day."""

    template_name = "rooms/room_finder.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = RoomFinderForm(self.request.GET or None)
        results = None
        if form.is_valid():
            results = self._search(form.cleaned_data)
        ctx.update(form=form, results=results)
        if results is None:
            ctx["rooms"] = rooms_bookable_by(self.request.user).order_by("cluster__name", "name")
        return ctx

    def _search(self, data) -> list[dict]:
        user = self.request.user
        day = data["date"]
        qs = rooms_bookable_by(user).filter(capacity__gte=data["attendees"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        rooms = [
            r
            for r in rooms_with_rules(qs, start=day, end=day)
            if set(data.get("amenities") or ()) <= set(r.amenities)
        ]
        if not rooms:
            return []
        # One query for the day's bookings of every candidate room (widened by a
        # day on each side: time zones and buffers).
        lo, hi = local_day_bounds(day - timedelta(days=1), day + timedelta(days=1), "UTC")
        busy_by_room: dict[int, list] = {}
        for b in active_bookings_between([r.pk for r in rooms], lo, hi).select_related(
            "room__cluster"
        ):
            busy_by_room.setdefault(b.room_id, []).append(to_busy(b, user))
        now = timezone.now()
        results = []
        for room in rooms:
            rules = room_rules(room)
            busy = busy_by_room.get(room.pk, [])
            wanted = None
            if data.get("start") and data.get("end"):
                zone = room.tzinfo
                from ..availability import at_local, check_slot

                start, end = at_local(day, data["start"], zone), at_local(day, data["end"], zone)
                problems = check_slot(
                    rules, start=start, end=end, attendees=data["attendees"], busy=busy, now=now
                )
                if problems:
                    continue
                wanted = (start, end)
                free = from_time(
                    free_intervals(rules, day, busy), now, min_minutes=rules.min_minutes
                )
            else:
                need = data.get("duration") or rules.min_minutes
                if data.get("duration") and not (rules.min_minutes <= need <= rules.max_minutes):
                    continue
                free = from_time(free_intervals(rules, day, busy), now, min_minutes=need)
                if not free:
                    continue
                start = _round_up(free[0][0])
                wanted = (start, start + timedelta(minutes=need)) if data.get("duration") else None
            results.append(
                {"room": room, "free": free, "book_url": self._book_url(room, day, wanted, data)}
            )
        return results

    @staticmethod
    def _book_url(room, day, wanted, data) -> str:
        params = {"date": day.isoformat(), "attendees": data["attendees"]}
        if wanted:
            zone = room.tzinfo
            params["start"] = wanted[0].astimezone(zone).strftime("%H:%M")
            params["end"] = wanted[1].astimezone(zone).strftime("%H:%M")
        return reverse("rooms:booking_create", args=[room.pk]) + "?" + urlencode(params)


class RoomDetailView(MemberRequiredMixin, TemplateView):
    """A room, with its week of free and taken times (htmx between weeks)."""

    template_name = "rooms/room_detail.html"

    def get_template_names(self):
        htmx = self.request.htmx
        if htmx and not htmx.boosted and not htmx.history_restore_request:
            return ["rooms/_week.html"]
        return [self.template_name]

    def get_context_data(self, pk: int, **kwargs):
        user = self.request.user
        room = get_permitted_object_or_404(
            user, "rooms.view_room", Room.objects.select_related("cluster"), pk=pk
        )
        # The room's own calendar: "this week" is the week where the room is.
        week, week_error = chosen_week(
            self.request.GET, today=timezone.localdate(timezone=room.tzinfo)
        )
        ctx = super().get_context_data(**kwargs)
        ctx.update(room=room, week_error=week_error, **week_context(room, week, user))
        ctx["can_manage"] = user.has_perm("rooms.manage_room", room)
        ctx["can_book"] = user.has_perm("rooms.book_room", room)
        return ctx


def _weeks_around(monday, today) -> dict:
    """The previous and the next week, each None when it leaves the date window."""
    first, last = sane_window(today)
    prev_week, next_week = monday - timedelta(days=7), monday + timedelta(days=7)
    return {
        "prev_week": prev_week if prev_week >= first else None,
        "next_week": next_week if next_week <= last else None,
    }


def week_context(room: Room, monday, user) -> dict:
    """The room's week in its own local time (opening hours are local)."""
    sunday = monday + timedelta(days=6)
    today = timezone.localdate(timezone=room.tzinfo)
    room = rooms_with_rules(Room.objects.filter(pk=room.pk), start=monday, end=sunday).get()
    rules = room_rules(room)
    lo, hi = local_day_bounds(monday, sunday, room.cluster.time_zone)
    busy = [to_busy(b, user) for b in active_bookings_between([room.pk], lo, hi)]
    days = []
    for i in range(7):
        day = monday + timedelta(days=i)
        days.append(
            {
                "date": day,
                "closed": rules.closed.get(day),
                "is_closed": day in rules.closed or not rules.opening.get(day.weekday()),
                "segments": day_timeline(rules, day, busy, not_before=timezone.now()),
            }
        )
    return {
        "week_start": monday,
        "week_end": sunday,
        "days": days,
        **_weeks_around(monday, today),
        "this_week": today - timedelta(days=today.weekday()),
    }


# Booking ------------------------------------------------------------------------


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
        return {**super().get_context_data(**kwargs), "room": self.room}

    def form_valid(self, form):
        data = form.cleaned_data
        if data.get("repeat"):
            return self._series(form)
        start, end = form.instants()
        booking = run_action(
            actions.booking_create,
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
                actions.booking_series_create,
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
            actions.booking_series_preview,
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


def _booking_or_404(user, pk: int, perm: str = "rooms.view_booking") -> Booking:
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
        booking = _booking_or_404(user, pk)
        now = timezone.now()
        can_decide = user.has_perm("rooms.decide_booking", booking)
        is_party = booking.person_id == user.pk or (
            user.organisation_id and booking.organisation_id == user.organisation_id
        )
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
        booking = _booking_or_404(request.user, pk)
        if not confirmed(request):
            return redirect(booking.get_absolute_url())
        form = CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        cancelled = run_action(
            actions.booking_cancel,
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
            actions.booking_series_cancel,
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
        booking = _booking_or_404(request.user, pk)
        response = HttpResponse(booking_ics([booking]), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
        return response


class BookingDecideView(MemberRequiredMixin, View):
    """Approve or reject a pending booking (or all pending dates of its series)."""

    decision = "approve"

    def post(self, request, pk: int):
        booking = _booking_or_404(request.user, pk, perm="rooms.decide_booking")
        form = DecisionForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        whole_series = data.get("whole_series", False)
        if self.decision == "approve":
            done = run_action(
                actions.booking_approve,
                errors_to=request,
                actor=request.user,
                booking=booking,
                whole_series=whole_series,
            )
            if done is not REFUSED:
                messages.success(request, _("%(n)s booking(s) approved.") % {"n": len(done)})
        else:
            done = run_action(
                actions.booking_reject,
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


# Managers -------------------------------------------------------------------------


class ManagerMixin(PermissionRequiredMixin):
    permission_required = "rooms.manage_rooms"


class RoomManageListView(ManagerMixin, TemplateView):
    template_name = "rooms/room_manage_list.html"

    def get_context_data(self, **kwargs):
        rooms = rooms_managed_by(self.request.user).order_by("cluster__name", "name")
        return {**super().get_context_data(**kwargs), "rooms": rooms}


def _managed_clusters(user):
    if user.is_network_admin or user.is_superuser:
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=user.managed_cluster_ids)


class RoomCreateView(ManagerMixin, FormView):
    template_name = "rooms/room_form.html"
    form_class = RoomForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "clusters": _managed_clusters(self.request.user)}

    def form_valid(self, form):
        room = run_action(
            actions.room_create,
            errors_to=form,
            actor=self.request.user,
            cluster=form.cleaned_data["cluster"],
            opening_hours=form.opening_hours(),
            photo=form.cleaned_data.get("photo_upload"),
            **form.room_fields(),
        )
        if room is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The room was created."))
        return redirect("rooms:room_update", pk=room.pk)


class RoomUpdateView(ManagerMixin, FormView):
    template_name = "rooms/room_form.html"
    form_class = RoomForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.room = get_permitted_object_or_404(
                request.user,
                "rooms.manage_room",
                Room.objects.select_related("cluster"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.room}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "room": self.room,
            "closed_dates": self.room.closed_dates.filter(
                date__gte=timezone.localdate(timezone=self.room.tzinfo)
            ),
            "closed_form": ClosedDateForm(),
        }

    def form_valid(self, form):
        saved = run_action(
            actions.room_update,
            errors_to=form,
            actor=self.request.user,
            room=self.room,
            opening_hours=form.opening_hours(),
            photo=form.cleaned_data.get("photo_upload"),
            **form.room_fields(),
        )
        if saved is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The room was saved."))
        return redirect("rooms:room_update", pk=self.room.pk)


class RoomDeleteView(ManagerMixin, View):
    def post(self, request, pk: int):
        room = get_permitted_object_or_404(request.user, "rooms.manage_room", Room.objects, pk=pk)
        deleted = run_action(actions.room_delete, errors_to=request, actor=request.user, room=room)
        if deleted is REFUSED:
            return redirect("rooms:room_update", pk=pk)
        messages.success(request, _("The room was deleted."))
        return redirect("rooms:room_manage_list")


class ClosedDateCreateView(ManagerMixin, View):
    """Close a date; when bookings are held that day, list them first and let the
    manager cancel them (each booker is told) or keep them."""

    def post(self, request, pk: int):
        room = get_permitted_object_or_404(
            request.user, "rooms.manage_room", Room.objects.select_related("cluster"), pk=pk
        )
        form = ClosedDateForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("date", []) or [_("Enter a valid date.")]:
                messages.error(request, error)
            return redirect("rooms:room_update", pk=pk)
        day, reason = form.cleaned_data["date"], form.cleaned_data["reason"]
        notice = request.POST.get("notice", "")
        decision = ClosingNoticeForm(request.POST)
        decision.is_valid()
        done = run_action(
            _close_or_ask,
            errors_to=decision,
            actor=request.user,
            room=room,
            day=day,
            reason=reason,
            held=request.POST.get("held", ""),
            seen_booking_ids=_ids(request.POST.getlist("booking_ids")),
            notice=notice,
        )
        if isinstance(done, actions.ClosingHasBookings):
            return self._confirm(room, day, reason, notice or reason, done.bookings)
        if done is REFUSED:
            if decision.has_error("notice"):
                bookings = list(active_bookings_on_day(room, day))
                notice_error = decision.errors["notice"][0]
                return self._confirm(room, day, reason, notice, bookings, notice_error=notice_error)
            for error in decision.non_field_errors():
                messages.error(request, error)
            return redirect("rooms:room_update", pk=pk)
        if done.cancelled:
            messages.success(
                request,
                ngettext(
                    "The date was closed. %(n)s booking was cancelled; its booker was told.",
                    "The date was closed. %(n)s bookings were cancelled; each booker was told.",
                    len(done.cancelled),
                )
                % {"n": len(done.cancelled)},
            )
        elif done.kept:
            messages.success(
                request,
                ngettext(
                    "The date was closed. %(n)s booking was kept; it still shows to its booker.",
                    "The date was closed. %(n)s bookings were kept; they still show to their"
                    " bookers.",
                    len(done.kept),
                )
                % {"n": len(done.kept)},
            )
        else:
            messages.success(request, _("The date was closed."))
        return redirect("rooms:room_update", pk=pk)

    def _confirm(self, room, day, reason, notice, bookings, notice_error=""):
        return render(
            self.request,
            "rooms/closed_date_confirm.html",
            {
                "room": room,
                "day": day,
                "reason": reason,
                "notice": notice,
                "notice_error": notice_error,
                "bookings": bookings,
            },
        )


def _close_or_ask(**kwargs):
    """`closed_date_add`, with "these bookings need your decision first" as an
    answer (the confirmation page) rather than a refusal."""
    try:
        return actions.closed_date_add(**kwargs)
    except actions.ClosingHasBookings as question:
        return question


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


class ClosedDateDeleteView(ManagerMixin, View):
    def post(self, request, pk: int):
        closed = ClosedDate.objects.select_related("room").filter(pk=pk).first()
        if closed is None or not request.user.has_perm("rooms.manage_room", closed.room):
            raise Http404
        reopened = run_action(
            actions.closed_date_remove, errors_to=request, actor=request.user, closed=closed
        )
        if reopened is not REFUSED:
            messages.success(request, _("The date is open again."))
        return redirect("rooms:room_update", pk=closed.room_id)


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
            **_weeks_around(monday, timezone.localdate()),
        }
