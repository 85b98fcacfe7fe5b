"""The dashboards' figures, from aggregate queries (annotate, date truncation,
percentile aggregates), never by looping over data rows in Python.

Every function takes `cluster_ids` (None = the whole network) and a Period, and
returns plain data (dicts and lists) that the charts, tables and CSV share. This
module holds the figures of service requests (demand, who asks, responsiveness) and
gathers the rest (activity.py) into the manager dashboard.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Extract, TruncDate
from django.utils import timezone

from clusters.enums import MembershipStatus, OrganisationKind
from clusters.models import Membership
from events.models import Registration
from services.catalogue.models import ServiceCategory
from services.counselling.models import OVERDUE_STATUSES, CounsellingRequest
from services.rooms.enums import BookingStatus
from services.rooms.models import Booking

from .activity import events, matchmaking, rooms
from .aggregates import Percentiles, in_scope, percentile
from .periods import Period

KIND_LABELS = dict(OrganisationKind.choices)


def _requests(cluster_ids, period: Period):
    qs = CounsellingRequest.objects.filter(created__gte=period.start_dt, created__lt=period.end_dt)
    return in_scope(qs, "cluster_id", cluster_ids)


# --- service demand ------------------------------------------------------------------------


def demand(cluster_ids, period: Period) -> dict:
    """Requests per category per month in the period, and per category in the
    previous period, from one grouped query (days x categories) over both."""
    previous = period.previous()
    qs = in_scope(
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
    attended = in_scope(
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
    members = in_scope(
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
    overdue = in_scope(
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
            "first_p50_h": _hours(percentile(b["first"], 0.5)),
            "first_p90_h": _hours(percentile(b["first"], 0.9)),
            "resolve_p50_h": _hours(percentile(b["resolve"], 0.5)),
            "resolve_p90_h": _hours(percentile(b["resolve"], 0.9)),
            "satisfaction": round(sum(b["sat"]) / len(b["sat"]), 2) if b["sat"] else None,
        }
        for slug, b in sorted(by_cat.items())
    ]


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
