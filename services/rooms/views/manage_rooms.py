"""Managers' views of their rooms: the list, creating, editing, deleting, closing
dates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from clusters.models import Cluster
from portal.base.permissions import PermissionRequiredMixin, get_permitted_object_or_404
from portal.base.views import REFUSED, run_action

from ..actions.closing import ClosingHasBookings, closed_date_add, closed_date_remove
from ..actions.rooms import room_create, room_delete, room_update
from ..forms import ClosedDateForm, ClosingNoticeForm, RoomForm
from ..models import ClosedDate, Room
from ..selectors import active_bookings_on_day, rooms_managed_by


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
            room_create,
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
            room_update,
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
        deleted = run_action(room_delete, errors_to=request, actor=request.user, room=room)
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
        if isinstance(done, ClosingHasBookings):
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
        return closed_date_add(**kwargs)
    except ClosingHasBookings as question:
        return question


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


class ClosedDateDeleteView(ManagerMixin, View):
    def post(self, request, pk: int):
        closed = ClosedDate.objects.select_related("room").filter(pk=pk).first()
        if closed is None or not request.user.has_perm("rooms.manage_room", closed.room):
            raise Http404
        reopened = run_action(
            closed_date_remove, errors_to=request, actor=request.user, closed=closed
        )
        if reopened is not REFUSED:
            messages.success(request, _("The date is open again."))
        return redirect("rooms:room_update", pk=closed.room_id)
