"""Network-wide figures for network admins: every cluster side by side, and the
survey's analysis rebuilt from portal data. Grouped aggregate queries: the
number of queries does not depend on the number of clusters or rows."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Extract, TruncMonth
from django.utils import timezone

from clusters.enums import MembershipStatus, OrganisationKind
from clusters.models import Cluster, IntroductionRequest
from events.enums import EventStatus, RegistrationStatus
from events.models import Registration
from services.catalogue.models import ServiceCategory
from services.counselling.models import OVERDUE_STATUSES, CounsellingRequest
from services.rooms.enums import BookingStatus
from services.rooms.models import Booking, OpeningHours

from .activity import weekday_counts
from .aggregates import Percentile, percentile
from .figures import KIND_LABELS
from .periods import Period

# The 2020-2021 survey of 25 cluster managers (shared/data/README.md).
SURVEY = {
    "sme_most_active": (23, 25),
    "public_funding_share": 0.76,
    "private_funding_share": 0.08,
    "most_common_services": ["networking", "business", "fundraising"],
}
UNKNOWN_GROUP = "—"


def _period_requests(period: Period):
    return CounsellingRequest.objects.filter(
        created__gte=period.start_dt, created__lt=period.end_dt
    )


def clusters_side_by_side(period: Period) -> list[dict]:
    clusters = list(
        Cluster.objects.order_by("name").values("id", "name", "country", "innovation_group")
    )
    reqs = _period_requests(period)
    by_kind = defaultdict(dict)
    for cid, kind, n in (
        reqs.values_list("cluster_id", "category__kind").annotate(n=Count("id")).order_by()
    ):
        by_kind[cid][kind] = n
    sat = dict(
        reqs.values("cluster_id")
        .annotate(a=Avg("satisfaction"))
        .values_list("cluster_id", "a")
        .order_by()
    )
    overdue = dict(
        CounsellingRequest.objects.filter(
            status__in=OVERDUE_STATUSES, due_date__lt=timezone.localdate()
        )
        .values("cluster_id")
        .annotate(n=Count("id"))
        .values_list("cluster_id", "n")
        .order_by()
    )
    first = _median_first_response_by_cluster(reqs)
    regs = Registration.objects.filter(
        event__start__gte=period.start_dt, event__start__lt=period.end_dt
    ).exclude(event__status=EventStatus.DRAFT)
    ev = {
        r["event__cluster_id"]: r
        for r in regs.values("event__cluster_id")
        .annotate(
            registrations=Count("id", filter=~Q(status=RegistrationStatus.CANCELLED)),
            attended=Count("id", filter=Q(attended_at__isnull=False)),
            confirmed_past=Count(
                "id", filter=Q(status=RegistrationStatus.CONFIRMED, event__end__lt=timezone.now())
            ),
        )
        .order_by()
    }
    util = _utilisation_by_cluster(period)
    intros = defaultdict(lambda: {"sent": 0, "accepted": 0})
    for cid, status, n in (
        IntroductionRequest.objects.filter(
            created__gte=period.start_dt,
            created__lt=period.end_dt,
            from_organisation__memberships__status=MembershipStatus.ACTIVE,
        )
        .values_list("from_organisation__memberships__cluster_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        intros[cid]["sent"] += n
        if status == "accepted":
            intros[cid]["accepted"] += n
    rows = []
    for c in clusters:
        kinds = by_kind.get(c["id"], {})
        total = sum(kinds.values())
        e = ev.get(c["id"], {})
        rows.append(
            {
                "cluster": c["name"],
                "country": c["country"],
                "group": c["innovation_group"] or UNKNOWN_GROUP,
                "requests": total,
                "soft_share": kinds.get("soft", 0) / total if total else None,
                "first_p50_h": first.get(c["id"]),
                "overdue": overdue.get(c["id"], 0),
                "satisfaction": round(sat[c["id"]], 2) if sat.get(c["id"]) is not None else None,
                "registrations": e.get("registrations", 0),
                "attendance_rate": e["attended"] / e["confirmed_past"]
                if e.get("confirmed_past")
                else None,
                "room_utilisation": util.get(c["id"]),
                "introductions_sent": intros[c["id"]]["sent"],
                "introductions_accepted": intros[c["id"]]["accepted"],
            }
        )
    return rows


def _median_first_response_by_cluster(reqs) -> dict[int, float]:
    first = ExpressionWrapper(F("first_response_at") - F("created"), output_field=DurationField())
    answered = reqs.filter(first_response_at__isnull=False)
    if connection.vendor == "postgresql":
        rows = (
            answered.values("cluster_id")
            .annotate(p=Percentile(Extract(first, "epoch"), 0.5))
            .order_by()
        )
        return {r["cluster_id"]: round(r["p"] / 3600, 1) for r in rows}
    values = defaultdict(list)  # SQLite fallback, as in figures.responsiveness
    for cid, created, first_at in answered.values_list(
        "cluster_id", "created", "first_response_at"
    ):
        values[cid].append((first_at - created).total_seconds())
    return {cid: round(percentile(v, 0.5) / 3600, 1) for cid, v in values.items()}


def _utilisation_by_cluster(period: Period) -> dict[int, float]:
    weekdays = weekday_counts(period)
    open_minutes = defaultdict(float)
    for cid, weekday, opens, closes in OpeningHours.objects.filter(
        room__is_active=True
    ).values_list("room__cluster_id", "weekday", "opens", "closes"):
        open_minutes[cid] += (
            (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        ) * weekdays[weekday + 1]
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    booked = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED, start__gte=period.start_dt, start__lt=period.end_dt
        )
        .values("room__cluster_id")
        .annotate(d=Sum(duration))
        .values_list("room__cluster_id", "d")
        .order_by()
    )
    return {
        cid: d.total_seconds() / 60 / open_minutes[cid]
        for cid, d in booked
        if d is not None and open_minutes.get(cid)
    }


def trends(period: Period) -> dict:
    reqs = _period_requests(period)
    tz = period.start_dt.tzinfo
    months = defaultdict(lambda: {"soft": 0, "hard": 0})
    for month, kind, n in (
        reqs.annotate(m=TruncMonth("created", tzinfo=tz))
        .values_list("m", "category__kind")
        .annotate(n=Count("id"))
        .order_by("m")
    ):
        months[month.strftime("%Y-%m")][kind] = n
    categories = list(
        ServiceCategory.objects.values("slug", "name", "kind", "importance").order_by(
            "-importance", "name"
        )
    )
    per_cat = dict(reqs.values_list("category__slug").annotate(n=Count("id")).order_by())
    survey_rank = {c["slug"]: i + 1 for i, c in enumerate(categories)}
    ranking = sorted(categories, key=lambda c: (-per_cat.get(c["slug"], 0), c["name"]))
    # Most active member kinds: requests plus event attendance.
    kind_requests = dict(
        reqs.values_list("requester_organisation__kind").annotate(n=Count("id")).order_by()
    )
    kind_attend = dict(
        Registration.objects.filter(attended_at__gte=period.start_dt, attended_at__lt=period.end_dt)
        .values_list("user__organisation__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    kinds = sorted(
        (
            {
                "kind": k,
                "label": str(KIND_LABELS[k]),
                "requests": kind_requests.get(k, 0),
                "attendance": kind_attend.get(k, 0),
            }
            for k, _l in OrganisationKind.choices
        ),
        key=lambda r: -(r["requests"] + r["attendance"]),
    )
    # By cluster and by innovation group: soft share and the most requested category.
    by_cluster = defaultdict(lambda: defaultdict(int))
    for name, group, slug, n in (
        reqs.values_list("cluster__name", "cluster__innovation_group", "category__slug")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_cluster[(name, group or UNKNOWN_GROUP)][slug] += n
    kinds_of = {c["slug"]: c["kind"] for c in categories}
    names = {c["slug"]: c["name"] for c in categories}
    by_group = defaultdict(lambda: defaultdict(int))
    for (_name, group), counts in by_cluster.items():
        for slug, n in counts.items():
            by_group[group][slug] += n
    most_active_kind = _most_active_kind_by_cluster(period)
    clusters_with_sme_top = sum(1 for k in most_active_kind.values() if k == OrganisationKind.SME)
    return {
        "months": dict(sorted(months.items())),
        "ranking": [
            {
                "rank": i + 1,
                "slug": c["slug"],
                "name": c["name"],
                "kind": c["kind"],
                "requests": per_cat.get(c["slug"], 0),
                "survey_rank": survey_rank[c["slug"]],
                "survey_importance": c["importance"],
            }
            for i, c in enumerate(ranking)
        ],
        "kinds": kinds,
        "by_cluster": [
            _mix_row(name, group, counts, kinds_of, names)
            | {"most_active_kind": most_active_kind.get(name)}
            for (name, group), counts in sorted(by_cluster.items())
        ],
        "by_group": [
            _mix_row(group, group, counts, kinds_of, names)
            for group, counts in sorted(by_group.items())
        ],
        "sme_top_clusters": clusters_with_sme_top,
        "clusters_with_activity": len(most_active_kind),
        "survey": SURVEY,
    }


def _mix_row(label, group, counts, kinds_of, names) -> dict:
    total = sum(counts.values())
    soft = sum(n for slug, n in counts.items() if kinds_of.get(slug) == "soft")
    top = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else None
    return {
        "label": label,
        "group": group,
        "requests": total,
        "soft_share": soft / total if total else None,
        "top_category": names.get(top, "—"),
    }


def _most_active_kind_by_cluster(period: Period) -> dict[str, str]:
    """Per cluster, the member kind with the most requests in the period."""
    rows = (
        _period_requests(period)
        .values_list("cluster__name", "requester_organisation__kind")
        .annotate(n=Count("id"))
        .order_by("cluster__name", "-n", "requester_organisation__kind")
    )
    best: dict[str, str] = {}
    for name, kind, _n in rows:
        best.setdefault(name, kind)
    return best
