"""The dashboards' figures of what members do besides asking for services: events they
attend, brokerage meetings, rooms they book, introductions and partner suggestions.

Every function takes `cluster_ids` (None = the whole network) and a Period.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from clusters.enums import MembershipStatus
from clusters.models import IntroductionRequest
from events.enums import EventStatus, RegistrationStatus
from events.models import Registration
from services.rooms.enums import BookingStatus
from services.rooms.models import Booking, OpeningHours, Room

from .aggregates import in_scope
from .periods import Period

# --- events --------------------------------------------------------------------------------


def events(cluster_ids, period: Period) -> dict:
    regs = in_scope(
        Registration.objects.filter(
            event__start__gte=period.start_dt, event__start__lt=period.end_dt
        ).exclude(event__status=EventStatus.DRAFT),
        "event__cluster_id",
        cluster_ids,
    )
    now = timezone.now()
    agg = regs.aggregate(
        registrations=Count("id", filter=~Q(status=RegistrationStatus.CANCELLED)),
        confirmed_past=Count(
            "id", filter=Q(status=RegistrationStatus.CONFIRMED, event__end__lt=now)
        ),
        attended=Count("id", filter=Q(attended_at__isnull=False)),
        # People turned away: still on the waitlist, or left it without a seat.
        turned_away=Count(
            "id",
            filter=Q(status=RegistrationStatus.WAITLISTED)
            | Q(
                status=RegistrationStatus.CANCELLED,
                confirmed_at__isnull=True,
                promoted_at__isnull=True,
            ),
        ),
        events=Count("event", distinct=True),
    )
    agg["attendance_rate"] = (
        agg["attended"] / agg["confirmed_past"] if agg["confirmed_past"] else None
    )
    agg.update(_brokerage(cluster_ids, period))
    return agg


def _brokerage(cluster_ids, period: Period) -> dict:
    """Brokerage meetings that took place, and those with a follow-up planned
    ("cooperations started"), from the participants' feedback."""
    from events.brokerage.models import Meeting

    meetings = in_scope(
        Meeting.objects.filter(event__start__gte=period.start_dt, event__start__lt=period.end_dt),
        "event__cluster_id",
        cluster_ids,
    )
    return meetings.aggregate(
        meetings_held=Count("id", filter=Q(held=True)),
        cooperations=Count("id", filter=Q(held=True, follow_up=True)),
    )


# --- rooms ---------------------------------------------------------------------------------


def weekday_counts(period: Period) -> dict[int, int]:
    """How many Mondays (1) ... Sundays (7) the period holds: calendar maths, no data."""
    counts = dict.fromkeys(range(1, 8), 0)
    day = period.start
    while day <= period.end:
        counts[day.isoweekday()] += 1
        day += timedelta(days=1)
    return counts


def rooms(cluster_ids, period: Period) -> dict:
    room_qs = in_scope(Room.objects.filter(is_active=True), "cluster_id", cluster_ids)
    weekdays = weekday_counts(period)
    open_minutes: dict[int, float] = defaultdict(float)
    # Opening hours are a handful of rows per room (one per weekday), not data rows.
    for room_id, weekday, opens, closes in OpeningHours.objects.filter(
        room__in=room_qs
    ).values_list("room_id", "weekday", "opens", "closes"):
        minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        iso = weekday + 1  # rooms store Monday as 0, ISO as 1
        open_minutes[room_id] += minutes * weekdays.get(iso, 0)
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    bookings = Booking.objects.filter(
        room__in=room_qs,
        status=BookingStatus.CONFIRMED,
        start__gte=period.start_dt,
        start__lt=period.end_dt,
    )
    booked = dict(bookings.values("room_id").annotate(d=Sum(duration)).values_list("room_id", "d"))
    rows = []
    for room_id, name, cluster_name in room_qs.values_list("id", "name", "cluster__name").order_by(
        "cluster__name", "name"
    ):
        hours_booked = booked.get(room_id).total_seconds() / 3600 if booked.get(room_id) else 0.0
        hours_open = open_minutes.get(room_id, 0) / 60
        rows.append(
            {
                "room": name,
                "cluster": cluster_name,
                "booked_hours": round(hours_booked, 1),
                "open_hours": round(hours_open, 1),
                "utilisation": hours_booked / hours_open if hours_open else None,
            }
        )
    tz = period.start_dt.tzinfo
    heat = (
        bookings.annotate(
            wd=ExtractIsoWeekDay("start", tzinfo=tz), hour=ExtractHour("start", tzinfo=tz)
        )
        .values("wd", "hour")
        .annotate(d=Sum(duration))
        .order_by("wd", "hour")
    )
    heatmap = {(r["wd"], r["hour"]): round(r["d"].total_seconds() / 3600, 1) for r in heat}
    pending = Booking.objects.filter(
        room__in=room_qs, status=BookingStatus.PENDING, start__gte=timezone.now()
    ).count()
    return {"rows": rows, "heatmap": heatmap, "pending_approvals": pending}


# --- matchmaking ---------------------------------------------------------------------------


def matchmaking(cluster_ids, period: Period) -> dict:
    intros = IntroductionRequest.objects.filter(
        created__gte=period.start_dt, created__lt=period.end_dt
    )
    if cluster_ids is not None:
        intros = intros.filter(
            from_organisation__memberships__cluster_id__in=cluster_ids,
            from_organisation__memberships__status=MembershipStatus.ACTIVE,
        ).distinct()
    agg = intros.aggregate(
        sent=Count("id", distinct=True),
        accepted=Count("id", filter=Q(status="accepted"), distinct=True),
    )
    agg["suggestions_shown"] = _suggestions_shown(cluster_ids, period)
    return agg


def _suggestions_shown(cluster_ids, period: Period):
    if "clusters.partners" not in settings.INSTALLED_APPS:
        return None
    from clusters.partners.models import PartnerSuggestion

    shown = PartnerSuggestion.objects.filter(
        first_shown_at__gte=period.start_dt, first_shown_at__lt=period.end_dt
    )
    if cluster_ids is not None:
        shown = shown.filter(
            organisation__memberships__cluster_id__in=cluster_ids,
            organisation__memberships__status=MembershipStatus.ACTIVE,
        ).distinct()
    return shown.count()
