"""The dashboards' figures, from aggregate queries (annotate, date truncation,
percentile aggregates), never by looping over data rows in Python.

Every function takes `cluster_ids` (None = the whole network) and a Period, and
returns plain data (dicts and lists) that the charts, tables and CSV share.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Extract, ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from clusters.enums import MembershipStatus, OrganisationKind
from clusters.models import IntroductionRequest, Membership
from events.enums import EventStatus, RegistrationStatus
from events.models import Registration
from services.catalogue.models import ServiceCategory
from services.counselling.models import OVERDUE_STATUSES, CounsellingRequest
from services.rooms.enums import BookingStatus
from services.rooms.models import Booking, OpeningHours, Room

from .periods import Period

KIND_LABELS = dict(OrganisationKind.choices)


class Percentile(Aggregate):
    """PostgreSQL's PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY expr)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=percentile, **extra)


class Percentiles(Aggregate):
    """Several percentiles from one sort: PERCENTILE_CONT(ARRAY[...]) WITHIN GROUP."""

    function = "PERCENTILE_CONT"
    template = (
        "%(function)s(ARRAY[%(percentiles)s]::float8[]) WITHIN GROUP (ORDER BY %(expressions)s)"
    )

    def __init__(self, expression, percentiles: tuple[float, ...], **extra):
        from django.contrib.postgres.fields import ArrayField

        super().__init__(
            expression,
            percentiles=", ".join(str(float(p)) for p in percentiles),
            output_field=ArrayField(FloatField()),
            **extra,
        )


def _scope(qs, field: str, cluster_ids):
    return qs if cluster_ids is None else qs.filter(**{f"{field}__in": cluster_ids})


def _requests(cluster_ids, period: Period):
    qs = CounsellingRequest.objects.filter(created__gte=period.start_dt, created__lt=period.end_dt)
    return _scope(qs, "cluster_id", cluster_ids)


# --- service demand ------------------------------------------------------------------------


def demand(cluster_ids, period: Period) -> dict:
    """Requests per category per month in the period, and per category in the
    previous period, from one grouped query (days x categories) over both."""
    previous = period.previous()
    qs = _scope(
        CounsellingRequest.objects.filter(
            created__gte=previous.start_dt, created__lt=period.end_dt
        ),
        "cluster_id",
        cluster_ids,
    )
    daily = (
        qs.annotate(day=TruncDate("created", tzinfo=period.start_dt.tzinfo))
        .values_list("day", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    categories = list(
        ServiceCategory.objects.order_by("-importance", "name").values(
            "id", "slug", "name", "kind", "importance"
        )
    )
    slug_of = {c["id"]: c["slug"] for c in categories}
    per_category: dict[str, int] = defaultdict(int)
    per_category_prev: dict[str, int] = defaultdict(int)
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, category_id, n in daily:  # grouped counts (at most days x categories), not data rows
        slug = slug_of[category_id]
        if day >= period.start:
            per_category[slug] += n
            months[day.strftime("%Y-%m")][slug] += n
        else:
            per_category_prev[slug] += n
    current = _demand_summary(categories, per_category)
    current["by_month"] = {m: dict(v) for m, v in sorted(months.items())}
    current["previous"] = _demand_summary(categories, per_category_prev)
    return current


def _demand_summary(categories: list[dict], per_category: dict[str, int]) -> dict:
    total = sum(per_category.values())
    kinds = {c["slug"]: c["kind"] for c in categories}
    soft = sum(n for slug, n in per_category.items() if kinds.get(slug) == "soft")
    hard = total - soft
    ranking = sorted(categories, key=lambda c: (-per_category.get(c["slug"], 0), c["name"]))
    survey_rank = {c["slug"]: i + 1 for i, c in enumerate(categories)}
    return {
        "total": total,
        "soft": soft,
        "hard": hard,
        "soft_share": soft / total if total else None,
        "hard_share": hard / total if total else None,
        "categories": categories,
        "per_category": dict(per_category),
        "ranking": [
            {
                "rank": i + 1,
                "slug": c["slug"],
                "name": c["name"],
                "kind": c["kind"],
                "requests": per_category.get(c["slug"], 0),
                "survey_rank": survey_rank[c["slug"]],
                "survey_importance": c["importance"],
            }
            for i, c in enumerate(ranking)
        ],
    }


# --- who asks ------------------------------------------------------------------------------


def who_asks(cluster_ids, period: Period) -> dict:
    reqs = _requests(cluster_ids, period)
    requests_by_kind = dict(
        reqs.values_list("requester_organisation__kind").annotate(n=Count("id")).order_by()
    )
    attended = _scope(
        Registration.objects.filter(
            attended_at__isnull=False,
            event__start__gte=period.start_dt,
            event__start__lt=period.end_dt,
        ),
        "event__cluster_id",
        cluster_ids,
    )
    attendance_by_kind = dict(
        attended.values_list("user__organisation__kind").annotate(n=Count("id")).order_by()
    )
    members = _scope(
        Membership.objects.filter(status=MembershipStatus.ACTIVE), "cluster_id", cluster_ids
    )
    member_count = members.values("organisation_id").distinct().count()
    org = OuterRef("organisation_id")
    booked = Booking.objects.filter(
        organisation=org, start__gte=period.start_dt, start__lt=period.end_dt
    ).exclude(status=BookingStatus.CANCELLED)
    active = (
        members.filter(
            Exists(reqs.filter(requester_organisation=org))
            | Exists(attended.filter(user__organisation=org))
            | Exists(booked)
        )
        .values("organisation_id")
        .distinct()
        .count()
    )
    kinds = [k for k, _ in OrganisationKind.choices]
    return {
        "rows": [
            {
                "kind": k,
                "label": str(KIND_LABELS[k]),
                "requests": requests_by_kind.get(k, 0),
                "attendance": attendance_by_kind.get(k, 0),
            }
            for k in kinds
        ],
        "members": member_count,
        "active_members": active,
        "active_share": active / member_count if member_count else None,
    }


# --- responsiveness ------------------------------------------------------------------------


def _hours(delta_seconds):
    return None if delta_seconds is None else round(delta_seconds / 3600, 1)


def responsiveness(cluster_ids, period: Period) -> dict:
    reqs = _requests(cluster_ids, period)
    first = ExpressionWrapper(F("first_response_at") - F("created"), output_field=DurationField())
    resolve = ExpressionWrapper(F("resolved_at") - F("created"), output_field=DurationField())
    rows: list[dict] = []
    names = dict(ServiceCategory.objects.values_list("slug", "name"))
    if connection.vendor == "postgresql":
        agg = (
            reqs.values("category__slug")
            .annotate(
                n=Count("id"),
                first_p=Percentiles(
                    Extract(first, "epoch"), (0.5, 0.9), filter=Q(first_response_at__isnull=False)
                ),
                resolve_p=Percentiles(
                    Extract(resolve, "epoch"), (0.5, 0.9), filter=Q(resolved_at__isnull=False)
                ),
                satisfaction=Avg("satisfaction"),
            )
            .order_by("category__slug")
        )
        for r in agg:
            rows.append(
                {
                    "slug": r["category__slug"],
                    "name": names.get(r["category__slug"], r["category__slug"]),
                    "requests": r["n"],
                    "first_p50_h": _hours((r["first_p"] or [None, None])[0]),
                    "first_p90_h": _hours((r["first_p"] or [None, None])[1]),
                    "resolve_p50_h": _hours((r["resolve_p"] or [None, None])[0]),
                    "resolve_p90_h": _hours((r["resolve_p"] or [None, None])[1]),
                    "satisfaction": round(r["satisfaction"], 2)
                    if r["satisfaction"] is not None
                    else None,
                }
            )
    else:
        rows = _responsiveness_sqlite(reqs, names)
    now = timezone.now()
    overdue = _scope(
        CounsellingRequest.objects.filter(status__in=OVERDUE_STATUSES, due_date__lt=now.date()),
        "cluster_id",
        cluster_ids,
    ).count()
    satisfaction = reqs.aggregate(avg=Avg("satisfaction"), n=Count("satisfaction"))
    prev = _requests(cluster_ids, period.previous()).aggregate(avg=Avg("satisfaction"))["avg"]
    return {
        "satisfaction_prev": round(prev, 2) if prev is not None else None,
        "rows": rows,
        "overdue": overdue,
        "satisfaction": round(satisfaction["avg"], 2) if satisfaction["avg"] is not None else None,
        "ratings": satisfaction["n"],
    }


def _percentile(values: list[float], p: float):
    """Linear interpolation, as PERCENTILE_CONT does."""
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _responsiveness_sqlite(reqs, names) -> list[dict]:
    """SQLite has no percentile aggregate: the embedded default fetches the two
    durations per request (two numbers a row) and interpolates like PostgreSQL."""
    by_cat: dict[str, dict[str, list]] = defaultdict(
        lambda: {"first": [], "resolve": [], "sat": [], "n": 0}
    )
    for slug, created, first, resolved, sat in reqs.values_list(
        "category__slug", "created", "first_response_at", "resolved_at", "satisfaction"
    ):
        bucket = by_cat[slug]
        bucket["n"] += 1
        if first:
            bucket["first"].append((first - created).total_seconds())
        if resolved:
            bucket["resolve"].append((resolved - created).total_seconds())
        if sat is not None:
            bucket["sat"].append(sat)
    return [
        {
            "slug": slug,
            "name": names.get(slug, slug),
            "requests": b["n"],
            "first_p50_h": _hours(_percentile(b["first"], 0.5)),
            "first_p90_h": _hours(_percentile(b["first"], 0.9)),
            "resolve_p50_h": _hours(_percentile(b["resolve"], 0.5)),
            "resolve_p90_h": _hours(_percentile(b["resolve"], 0.9)),
            "satisfaction": round(sum(b["sat"]) / len(b["sat"]), 2) if b["sat"] else None,
        }
        for slug, b in sorted(by_cat.items())
    ]


# --- events --------------------------------------------------------------------------------


def events(cluster_ids, period: Period) -> dict:
    regs = _scope(
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

    meetings = _scope(
        Meeting.objects.filter(event__start__gte=period.start_dt, event__start__lt=period.end_dt),
        "event__cluster_id",
        cluster_ids,
    )
    return meetings.aggregate(
        meetings_held=Count("id", filter=Q(held=True)),
        cooperations=Count("id", filter=Q(held=True, follow_up=True)),
    )


# --- rooms ---------------------------------------------------------------------------------


def _weekday_counts(period: Period) -> dict[int, int]:
    """How many Mondays (1) ... Sundays (7) the period holds: calendar maths, no data."""
    counts = dict.fromkeys(range(1, 8), 0)
    day = period.start
    while day <= period.end:
        counts[day.isoweekday()] += 1
        day += timedelta(days=1)
    return counts


def rooms(cluster_ids, period: Period) -> dict:
    room_qs = _scope(Room.objects.filter(is_active=True), "cluster_id", cluster_ids)
    weekdays = _weekday_counts(period)
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


# --- all together ------------------------------------------------------------------------


def manager_dashboard(cluster_ids, period: Period) -> dict:
    previous = period.previous()
    return {
        "period": period,
        "previous": previous,
        "demand": demand(cluster_ids, period),
        "who": who_asks(cluster_ids, period),
        "responsiveness": responsiveness(cluster_ids, period),
        "events": events(cluster_ids, period),
        "events_prev": events(cluster_ids, previous),
        "rooms": rooms(cluster_ids, period),
        "matchmaking": matchmaking(cluster_ids, period),
        "matchmaking_prev": matchmaking(cluster_ids, previous),
    }
