"""Demo rooms and bookings (called by `manage.py seed_demo`, after the clusters app).

Genopole and BioWin get a few rooms each, open Monday to Friday 08:00-19:00
(local time), with bookings over the past 18 months and the coming weeks.
Deterministic (one random stream per room) and idempotent: a booking is keyed
by (room, start), and a candidate that would overlap an existing active
booking is skipped, so re-runs (even on a later day) add nothing that clashes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clusters.enums import MembershipStatus
from clusters.models import Cluster, User
from portal.base.demo import in_year_end_break

from .enums import ACTIVE_STATUSES, BookingStatus, RoomKind, WhoMayBook
from .models import Booking, ClosedDate, OpeningHours, Room

ROOMS = {
    "Genopole": [
        dict(
            name="Salle Pasteur",
            kind=RoomKind.MEETING,
            capacity=10,
            amenities=["video", "screen", "whiteboard", "accessible"],
            location="Genopole Campus 1, building 2, 1st floor",
            needs_approval=True,
            description="Bright meeting room with a 75-inch screen and a video conferencing bar.",
        ),
        dict(
            name="Salle Curie",
            kind=RoomKind.MEETING,
            capacity=6,
            amenities=["video", "screen"],
            location="Genopole Campus 1, building 2, ground floor",
        ),
        dict(
            name="Auditorium Genopole",
            kind=RoomKind.EVENT,
            capacity=80,
            amenities=["screen", "sound", "catering", "accessible", "video"],
            location="Genopole Campus 3, main hall",
            needs_approval=True,
            who_may_book=WhoMayBook.NETWORK,
            min_minutes=60,
            buffer_minutes=30,
        ),
        dict(
            name="Espace co-working",
            kind=RoomKind.COWORKING,
            capacity=20,
            amenities=["wifi", "accessible"],
            location="Genopole Campus 1, building 4",
            min_minutes=60,
        ),
    ],
    "BioWin": [
        dict(
            name="Meeting room Meuse",
            kind=RoomKind.MEETING,
            capacity=10,
            amenities=["video", "screen", "whiteboard"],
            location="Wavre, rue Granbonpré 11",
        ),
        dict(
            name="Event hall",
            kind=RoomKind.EVENT,
            capacity=80,
            amenities=["screen", "sound", "catering", "accessible"],
            location="Wavre, ground floor",
            needs_approval=True,
            buffer_minutes=30,
            min_minutes=60,
        ),
        dict(
            name="Co-working zone",
            kind=RoomKind.COWORKING,
            capacity=16,
            amenities=["wifi"],
            location="Wavre, 2nd floor",
            min_minutes=60,
        ),
    ],
}

TITLES = [
    "Project meeting",
    "Investor pitch rehearsal",
    "Partner meeting",
    "Team workshop",
    "Regulatory strategy session",
    "Board meeting",
    "Grant proposal writing",
    "Customer demo",
    "Recruitment interviews",
    "Clinical advisory board",
    "Training session",
    "Lab planning",
]
JOURNEY_ROOM = "Salle Pasteur"
SLOTS = [(9, 2), (11, 1), (14, 2), (16, 2)]  # (start hour, hours): never overlapping
PAST_DAYS = 548  # about 18 months
FUTURE_DAYS = 42


def seed(ctx) -> None:
    for cluster_name, specs in ROOMS.items():
        cluster = Cluster.objects.filter(name=cluster_name).first()
        if cluster is None:
            continue
        people = _bookers(cluster)
        for spec in specs:
            room = _room(cluster, spec)
            if people:
                _bookings(ctx, room, people)


def _room(cluster: Cluster, spec: dict) -> Room:
    spec = dict(spec)
    room, _ = Room.objects.update_or_create(cluster=cluster, name=spec.pop("name"), defaults=spec)
    if not room.opening_hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(room=room, weekday=wd, opens=time(8), closes=time(19)) for wd in range(5)
        )
    return room


def _bookers(cluster: Cluster) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            organisation__memberships__cluster=cluster,
            organisation__memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(organisation=None)
        .order_by("email")
        .distinct()[:40]
    )


def _bookings(ctx, room: Room, people: list[User]) -> None:
    rng = ctx.rng(f"rooms:{room.cluster.name}:{room.name}")
    zone = ZoneInfo(room.cluster.time_zone)
    today = ctx.anchor.date()
    now = ctx.anchor
    first = today - timedelta(days=PAST_DAYS)
    existing = list(
        Booking.objects.filter(room=room, start__gte=_at(first, time(0), zone)).values_list(
            "start", "end", "status"
        )
    )
    taken_starts = {s for s, _e, _st in existing}
    active = [(s, e) for s, e, st in existing if st in ACTIVE_STATUSES]
    # A public holiday closed date, a few weeks ahead.
    ClosedDate.objects.get_or_create(
        room=room,
        date=bridge_day(today),
        defaults={"reason": "Bridge day"},
    )
    closed = set(room.closed_dates.values_list("date", flat=True))
    new: list[Booking] = []
    day = first
    while day <= today + timedelta(days=FUTURE_DAYS):
        if day.weekday() < 5:
            for hour, hours in SLOTS:
                if rng.random() > 0.35:
                    continue
                start = _at(day, time(hour), zone)
                end = start + timedelta(hours=hours)
                # A fixed number of draws per slot, whatever the number of people
                # (other seeders may add people later): the same slots on every run.
                person = people[int(rng.random() * len(people))]
                title = rng.choice(TITLES)
                cancelled = rng.random() < 0.06
                attendees = max(1, min(room.capacity, rng.randint(2, max(2, room.capacity))))
                pending_draw = rng.random()
                if start in taken_starts or day in closed:
                    continue
                if room.name == JOURNEY_ROOM and start > now and day.weekday() == 1 and hour >= 14:
                    continue  # kept free for the README walk-through (one clash only, below)
                if start > now:
                    if start < now + timedelta(hours=72) or day > today + timedelta(
                        days=room.advance_days
                    ):
                        continue
                    status = BookingStatus.CONFIRMED
                    if room.needs_approval and pending_draw < 0.3:
                        status = BookingStatus.PENDING
                else:
                    status = BookingStatus.CONFIRMED
                if cancelled:
                    status = BookingStatus.CANCELLED
                if status in ACTIVE_STATUSES and any(s < end and start < e for s, e in active):
                    continue
                new.append(
                    Booking(
                        room=room,
                        organisation_id=person.organisation_id,
                        person=person,
                        title=title,
                        attendees=attendees,
                        start=start,
                        end=end,
                        status=status,
                        created=start - timedelta(days=7),
                    )
                )
                taken_starts.add(start)
                if status in ACTIVE_STATUSES:
                    active.append((start, end))
        day += timedelta(days=1)
    if room.name == JOURNEY_ROOM:
        # The walk-through books Tuesdays 14:00-16:00 weekly: one of them clashes.
        day = _next_weekday(today + timedelta(days=7), 1) + timedelta(days=14)
        start = _at(day, time(14), zone)
        if start not in taken_starts and not any(
            s < start + timedelta(hours=2) and start < e for s, e in active
        ):
            # Another organisation than the walk-through's member (NeoCell).
            person = next((p for p in people if p.email == "research@demo.example"), people[0])
            new.append(
                Booking(
                    room=room,
                    organisation_id=person.organisation_id,
                    person=person,
                    title="Board meeting",
                    attendees=8,
                    start=start,
                    end=start + timedelta(hours=2),
                    status=BookingStatus.CONFIRMED,
                )
            )
    Booking.objects.bulk_create(new)


def bridge_day(today: date) -> date:
    """The demo's closed 'bridge day': the first Friday from 24 days ahead that lies outside
    the year-end break (the events demo keeps its showcase items off it)."""
    day = _next_weekday(today + timedelta(days=24), 4)
    while in_year_end_break(day):
        day += timedelta(days=7)
    return day


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def _next_weekday(day: date, weekday: int) -> date:
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day
