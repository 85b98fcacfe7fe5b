"""Finding a room: the finder, and a room's page with its week."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView

from portal.base.dates import sane_window
from portal.base.permissions import MemberRequiredMixin, get_permitted_object_or_404

from ..availability import day_timeline
from ..forms import RoomFinderForm, chosen_week
from ..models import Room
from ..selectors import (
    FittingRoom,
    active_bookings_between,
    local_day_bounds,
    room_rules,
    rooms_bookable_by,
    rooms_fitting,
    rooms_with_rules,
    to_busy,
)
from ..timegrid import week_rows


class RoomFinderView(MemberRequiredMixin, TemplateView):
    """ "For N people, on this date, from-to (or for this long), with these
    amenities": the rooms that fit, with their free times that day."""

    template_name = "rooms/room_finder.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = RoomFinderForm(self.request.GET or None)
        results = None
        if form.is_valid():
            data = form.cleaned_data
            fitting = rooms_fitting(
                self.request.user,
                day=data["date"],
                attendees=data["attendees"],
                kind=data.get("kind") or "",
                amenities=data.get("amenities") or (),
                start=data.get("start"),
                end=data.get("end"),
                duration=data.get("duration"),
            )
            results = [finder_card(fit, data) for fit in fitting]
        ctx.update(form=form, results=results)
        if results is None:
            ctx["rooms"] = rooms_bookable_by(self.request.user).order_by("cluster__name", "name")
        return ctx


def booking_url(room: Room, day, attendees: int, start=None, end=None) -> str:
    """The room's booking form with the date, people and (local) times filled in."""
    params = {"date": day.isoformat(), "attendees": attendees}
    zone = room.tzinfo
    if start is not None:
        params["start"] = start.astimezone(zone).strftime("%H:%M")
    if end is not None:
        params["end"] = end.astimezone(zone).strftime("%H:%M")
    return reverse("rooms:booking_create", args=[room.pk]) + "?" + urlencode(params)


def finder_card(fit: FittingRoom, data: dict) -> dict:
    """What a result card of the finder shows: the room, the day searched (and whether
    it is the room's today), the slot asked for and each free time with its button."""
    room, day, people = fit.room, data["date"], data["attendees"]
    wanted = fit.wanted or (None, None)
    return {
        "room": fit.room,
        "day": day,
        "is_today": day == timezone.localdate(timezone=room.tzinfo),
        "wanted": fit.wanted,
        "book_url": booking_url(room, day, people, *wanted),
        "free": [
            {
                "start": t.start,
                "end": t.end,
                "url": (
                    booking_url(room, day, people, t.book_start, t.book_end)
                    if t.book_start
                    else None
                ),
            }
            for t in fit.free_times()
        ],
    }


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


def weeks_around(monday, today) -> dict:
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
        "grid": week_rows([d["date"] for d in days], rules.zone, [d["segments"] for d in days]),
        "today": today,
        "week_start": monday,
        "week_end": sunday,
        "days": days,
        **weeks_around(monday, today),
        "this_week": today - timedelta(days=today.weekday()),
    }
