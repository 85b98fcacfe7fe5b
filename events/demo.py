"""Demo events: 18 months of past events with registrations and attendance for
every cluster (the dashboards' material), and a handful of upcoming ones:
a hybrid networking event at Genopole next month with 10 in-person seats, a
public info day, a webinar and a brokerage-kind event (used by the brokerage
demo). Deterministic and idempotent: events are keyed by slug, registrations
are only added when their event is created.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction

from clusters.enums import MembershipStatus, StaffRole
from clusters.models import Cluster, Topic, User
from portal.base.demo import working_day
from portal.base.errors import ActionError
from services.rooms.models import ClosedDate

from . import rooms as room_link
from .enums import Audience, EventFormat, EventKind, EventStatus, RegistrationStatus, SeatType
from .models import Event, Registration

PAST_MONTHS = 18
ROOM_SEARCH_DAYS = 15  # working days tried for the networking event's room
TITLES = {
    EventKind.NETWORKING: [
        "Networking breakfast: {t}",
        "Members' evening: {t}",
        "Meet the {t} community",
    ],
    EventKind.WORKSHOP: ["Workshop: {t} in practice", "Hands-on {t}"],
    EventKind.WEBINAR: ["Webinar: what's new in {t}", "Webinar: funding for {t}"],
    EventKind.CONFERENCE: ["Annual {t} conference"],
    EventKind.INFO_DAY: ["Info day: {t} calls for projects"],
    EventKind.BROKERAGE: ["Partnering day: {t}"],
}
KIND_WEIGHTS = [
    (EventKind.NETWORKING, 40),
    (EventKind.WORKSHOP, 20),
    (EventKind.WEBINAR, 20),
    (EventKind.CONFERENCE, 5),
    (EventKind.INFO_DAY, 10),
    (EventKind.BROKERAGE, 5),
]

GENOPOLE_NETWORKING = "genopole-hybrid-networking-cell-therapy"
GENOPOLE_INFO_DAY = "genopole-public-info-day-eu-health-calls"
GENOPOLE_WEBINAR = "genopole-webinar-ivdr-for-smes"
GENOPOLE_BROKERAGE = "genopole-partnering-day-cell-and-gene-therapy"


def seed(ctx) -> None:
    clusters = list(Cluster.objects.order_by("name"))
    topics = list(Topic.objects.order_by("slug"))
    if not clusters or not topics:
        return
    people = _people_by_cluster()
    for cluster in clusters:
        _seed_past(ctx, cluster, topics, people.get(cluster.pk, []))
    genopole = next((c for c in clusters if c.name == "Genopole"), None)
    if genopole is not None:
        _seed_upcoming(ctx, genopole, {t.name: t for t in topics})


def _people_by_cluster() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    rows = (
        User.objects.filter(
            is_active=True,
            organisation__memberships__status=MembershipStatus.ACTIVE,
        )
        .values_list("organisation__memberships__cluster_id", "id")
        .order_by("organisation__memberships__cluster_id", "id")
    )
    for cluster_id, user_id in rows:
        out.setdefault(cluster_id, []).append(user_id)
    return out


def _local(cluster: Cluster, day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=cluster.tzinfo)


def _seed_past(ctx, cluster: Cluster, topics: list[Topic], people: list[int]) -> None:
    kinds = [k for k, _w in KIND_WEIGHTS]
    weights = [w for _k, w in KIND_WEIGHTS]
    anchor_day = ctx.anchor.date()
    n_events = PAST_MONTHS // 2 + 1
    for i in range(n_events):
        slug = f"{cluster.slug[:150]}-past-{i}"
        rng = ctx.rng(f"events.past.{cluster.slug}.{i}")
        kind = rng.choices(kinds, weights)[0]
        topic = rng.choice(topics)
        day = working_day(anchor_day - timedelta(days=14 + i * 55 + rng.randrange(20)))
        start = _local(cluster, day, rng.choice([9, 14, 17]), rng.choice([0, 30]))
        fmt = (
            EventFormat.ONLINE
            if kind == EventKind.WEBINAR
            else rng.choice([EventFormat.IN_PERSON, EventFormat.IN_PERSON, EventFormat.HYBRID])
        )
        capacity = 0 if fmt == EventFormat.ONLINE else rng.choice([20, 30, 40, 60])
        online = rng.choice([50, 100]) if fmt != EventFormat.IN_PERSON else 0
        event, created = Event.objects.get_or_create(
            slug=slug,
            defaults=dict(
                cluster=cluster,
                title=rng.choice(TITLES[kind]).format(t=topic.name),
                kind=kind,
                format=fmt,
                start=start,
                end=start + timedelta(hours=rng.choice([2, 3, 4])),
                address="" if fmt == EventFormat.ONLINE else f"{cluster.city or cluster.name}",
                online_link="https://meet.example/" + slug if online else "",
                capacity=capacity,
                online_capacity=online,
                audience=rng.choice([Audience.CLUSTER, Audience.NETWORK, Audience.PUBLIC]),
                status=EventStatus.PUBLISHED,
                description=f"A {kind.label.lower()} on {topic.name} for the members of {cluster.name}.",
                created=start - timedelta(days=30),
                published_at=start - timedelta(days=28),
            ),
        )
        if not created:
            continue
        event.topics.set([topic])
        if not people:
            continue
        chosen = rng.sample(people, min(len(people), rng.randint(3, 12)))
        regs = []
        for user_id in chosen:
            seat = (
                SeatType.ONLINE
                if fmt == EventFormat.ONLINE or (fmt == EventFormat.HYBRID and rng.random() < 0.4)
                else SeatType.IN_PERSON
            )
            created_at = start - timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 12))
            cancelled = rng.random() < 0.1
            regs.append(
                Registration(
                    event=event,
                    user_id=user_id,
                    seat_type=seat,
                    status=RegistrationStatus.CANCELLED
                    if cancelled
                    else RegistrationStatus.CONFIRMED,
                    created=created_at,
                    confirmed_at=created_at,
                    cancelled_at=created_at + timedelta(days=1) if cancelled else None,
                    attended_at=start + timedelta(minutes=rng.randint(0, 20))
                    if not cancelled and rng.random() < 0.75
                    else None,
                )
            )
        Registration.objects.bulk_create(regs)


def _seed_upcoming(ctx, genopole: Cluster, topics: dict[str, Topic]) -> None:
    manager = (
        User.objects.filter(cluster_roles__cluster=genopole, cluster_roles__role=StaffRole.MANAGER)
        .order_by("id")
        .first()
    )
    base = ctx.anchor.date()
    specs = [
        dict(
            slug=GENOPOLE_NETWORKING,
            title="Hybrid networking: cell therapy",
            kind=EventKind.NETWORKING,
            format=EventFormat.HYBRID,
            day=base + timedelta(days=28),
            hour=(14, 0),
            hours=2,
            capacity=10,
            online_capacity=40,
            online_link="https://meet.example/genopole-networking",
            audience=Audience.CLUSTER,
            topics=["Cell therapy", "CAR-T"],
            description="Meet the cell and gene therapy companies of Genopole, in the room "
            "or online. Ten seats in person: register early.",
            want_room=True,
        ),
        dict(
            slug=GENOPOLE_INFO_DAY,
            title="Public info day: EU health calls",
            kind=EventKind.INFO_DAY,
            format=EventFormat.IN_PERSON,
            day=base + timedelta(days=18),
            hour=(9, 30),
            hours=6,
            capacity=80,
            online_capacity=0,
            online_link="",
            audience=Audience.PUBLIC,
            topics=["Fundraising"],
            description="Horizon Europe and EU4Health calls explained, with national contact points.",
            want_room=False,
        ),
        dict(
            slug=GENOPOLE_WEBINAR,
            title="Webinar: IVDR for SMEs",
            kind=EventKind.WEBINAR,
            format=EventFormat.ONLINE,
            day=base + timedelta(days=9),
            hour=(11, 0),
            hours=1,
            capacity=0,
            online_capacity=200,
            online_link="https://meet.example/genopole-ivdr",
            audience=Audience.NETWORK,
            topics=["Regulatory affairs", "In vitro diagnostics"],
            description="What the In Vitro Diagnostic Regulation asks of small companies.",
            want_room=False,
        ),
        dict(
            slug=GENOPOLE_BROKERAGE,
            title="Partnering day: cell and gene therapy",
            kind=EventKind.BROKERAGE,
            format=EventFormat.IN_PERSON,
            day=base + timedelta(days=45),
            hour=(9, 0),
            hours=8,
            capacity=120,
            online_capacity=0,
            online_link="",
            audience=Audience.NETWORK,
            topics=["Cell therapy", "Gene therapy", "GMP manufacturing"],
            description="Pre-arranged one-to-one meetings between developers, CDMOs and investors.",
            want_room=False,
        ),
    ]
    # Showcase days: working days, none on a day the cluster's rooms are closed, no two alike.
    taken = set(
        ClosedDate.objects.filter(room__cluster=genopole, date__gte=base).values_list(
            "date", flat=True
        )
    )
    for spec in sorted(specs, key=lambda s: s["day"]):
        existing = Event.objects.filter(slug=spec["slug"]).first()
        if existing is not None:
            taken.add(existing.start.astimezone(genopole.tzinfo).date())
            continue
        want_room = spec.pop("want_room")
        topic_names = spec.pop("topics")
        event = _create_upcoming(genopole, manager, spec, want_room, taken)
        taken.add(event.start.astimezone(genopole.tzinfo).date())
        event.topics.set([topics[n] for n in topic_names if n in topics])
    networking = Event.objects.filter(slug=GENOPOLE_NETWORKING).first()
    if networking is not None and not networking.registrations.exists():
        for email in ("colleague@demo.example", "research@demo.example"):
            user = User.objects.filter(email=email).first()
            if user is not None:
                Registration.objects.create(
                    event=networking,
                    user=user,
                    seat_type=SeatType.IN_PERSON,
                    status=RegistrationStatus.CONFIRMED,
                    created=ctx.anchor,
                    confirmed_at=ctx.anchor,
                )


def _create_upcoming(cluster: Cluster, manager, spec: dict, want_room: bool, taken: set) -> Event:
    """The event on the first fitting working day from its target day; one that wants a room
    moves on, a day at a time, until that room is free (the demo promises it a room)."""
    spec = dict(spec)
    target, (hour, minute), hours = spec.pop("day"), spec.pop("hour"), spec.pop("hours")
    fields = dict(
        spec,
        cluster=cluster,
        status=EventStatus.PUBLISHED,
        created_by=manager,
        address=f"Genopole campus, {cluster.city or 'Évry'}" if spec["format"] != "online" else "",
    )
    room = _room_for(cluster, spec["capacity"]) if want_room and manager else None
    day = working_day(target, taken)
    for _attempt in range(ROOM_SEARCH_DAYS if room is not None else 0):
        start = _local(cluster, day, hour, minute)
        try:
            with transaction.atomic():
                event = Event.objects.create(
                    **fields, start=start, end=start + timedelta(hours=hours)
                )
                room_link.book(event=event, room=room, actor=manager)
                event.address = ""
                event.save(update_fields=["address"])
                return event
        except (ActionError, PermissionDenied):
            day = working_day(day + timedelta(days=1), taken)  # taken or closed: next day
    start = _local(cluster, day, hour, minute)
    return Event.objects.create(**fields, start=start, end=start + timedelta(hours=hours))


def _room_for(cluster: Cluster, seats: int):
    qs = room_link.room_queryset(cluster, None)
    return qs.filter(capacity__gte=seats).order_by("capacity", "id").first()
