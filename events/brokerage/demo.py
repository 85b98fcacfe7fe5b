"""Demo brokerage: meetings switched on for the events demo's partnering day.

Two sessions (09:30-12:30 and 14:00-17:00, 20-minute meetings: 18 slots),
about 40 participants from the demo organisations (registered and confirmed),
some with narrower availability, and meeting requests (mostly accepted, some
pending, including one waiting for sme@demo.example). Nothing is scheduled:
the manager (manager@demo.example) runs "Schedule all".

Deterministic and idempotent: keyed on the event, participants on (event,
user), requests only seeded while the event has none. When the events demo
has no brokerage-kind event, nothing is created.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from clusters.enums import MembershipStatus
from clusters.models import User
from events.enums import EventKind, EventStatus, RegistrationStatus, SeatType
from events.models import Event, Registration

from .actions.configuration import _build_slots, suggested_tables
from .enums import MeetingRequestStatus
from .models import BrokerageSettings, Meeting, MeetingRequest, Participant

PARTICIPANTS = 40
FEATURED = ("sme@demo.example", "research@demo.example", "colleague@demo.example")


def _event(ctx) -> Event | None:
    try:
        from events.demo import GENOPOLE_BROKERAGE
    except ImportError:
        GENOPOLE_BROKERAGE = ""
    event = Event.objects.filter(slug=GENOPOLE_BROKERAGE).first() if GENOPOLE_BROKERAGE else None
    if event is None:
        event = (
            Event.objects.filter(
                kind=EventKind.BROKERAGE, status=EventStatus.PUBLISHED, start__gte=ctx.anchor
            )
            .select_related("cluster")
            .order_by("start", "slug")
            .first()
        )
    return event


def seed(ctx) -> None:
    event = _event(ctx)
    if event is None:
        return
    brokerage = _settings(event)
    people = _participants(ctx, event, brokerage)
    if not MeetingRequest.objects.filter(event=event).exists():
        _requests(ctx, event, brokerage, people)


def _settings(event: Event) -> BrokerageSettings:
    tz = event.cluster.tzinfo
    day = event.start.astimezone(tz).date()

    def at(h, m=0):
        return datetime.combine(day, time(h, m), tzinfo=tz)

    brokerage, created = BrokerageSettings.objects.get_or_create(
        event=event,
        defaults={
            "meeting_minutes": 20,
            "tables": suggested_tables(PARTICIPANTS * 4 // 2, 18),
            "max_meetings": 8,
            "requires_acceptance": True,
            "pending_expiry_hours": 72,
            "request_deadline": event.start - timedelta(days=2),
        },
    )
    if not brokerage.sessions.exists():
        sessions = [(at(9, 30), at(12, 30)), (at(14), at(17))]
        sessions = [(s, e) for s, e in sessions if s >= event.start and e <= event.end] or [
            (event.start, event.end)
        ]
        _build_slots(brokerage, sessions)
    return brokerage


def _participants(ctx, event: Event, brokerage: BrokerageSettings) -> list[Participant]:
    candidates = list(
        User.objects.filter(
            is_active=True,
            organisation__isnull=False,
            organisation__memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(email="other@demo.example")
        .select_related("organisation")
        .distinct()
        .order_by("email")
    )
    featured = [u for u in candidates if u.email in FEATURED]
    rest = [u for u in candidates if u.email not in FEATURED]
    rng = ctx.rng("brokerage.participants")
    chosen = featured + rng.sample(rest, min(len(rest), PARTICIPANTS - len(featured)))
    slots = list(brokerage.slots.order_by("index"))
    people = []
    for user in sorted(chosen, key=lambda u: u.email):
        if not Registration.objects.filter(
            event=event, user=user, status=RegistrationStatus.CONFIRMED
        ).exists():
            Registration.objects.create(
                event=event,
                user=user,
                seat_type=SeatType.IN_PERSON,
                status=RegistrationStatus.CONFIRMED,
                created=ctx.anchor,
                confirmed_at=ctx.anchor,
            )
        org = user.organisation
        participant, created = Participant.objects.get_or_create(
            event=event,
            user=user,
            defaults={
                "organisation": org,
                "offers": org.offers or org.description or f"{org.get_kind_display()}",
                "requests": org.needs or "Partners for joint projects",
                "created": ctx.anchor,
            },
        )
        if created:
            participant.topics.set(list(org.offer_topics.all()) + list(org.need_topics.all()))
            prng = ctx.rng(f"brokerage.availability.{user.email}")
            available = slots
            if prng.random() < 0.2:
                dropped = set(prng.sample(range(len(slots)), prng.randint(3, 6)))
                available = [s for i, s in enumerate(slots) if i not in dropped]
            participant.availability.set(available)
        people.append(participant)
    return people


def _requests(ctx, event: Event, brokerage: BrokerageSettings, people: list[Participant]) -> None:
    rng = ctx.rng("brokerage.requests")
    count = {p.pk: 0 for p in people}
    pairs: set[tuple[int, int]] = set()
    by_email = {p.user.email: p for p in people}
    plan = []
    for p in people:
        for q in rng.sample(people, min(len(people), 5))[: rng.randint(2, 4)]:
            plan.append((p, q, rng.random() < 0.75))
    # One request waits for the demo SME, so a tester can accept it after publication.
    if "sme@demo.example" in by_email and "research@demo.example" in by_email:
        plan.append((by_email["research@demo.example"], by_email["sme@demo.example"], False))
    for sender, receiver, accept in plan:
        pair = tuple(sorted((sender.pk, receiver.pk)))
        if sender.pk == receiver.pk or pair in pairs:
            continue
        if max(count[sender.pk], count[receiver.pk]) >= brokerage.max_meetings - 1:
            continue
        pairs.add(pair)
        count[sender.pk] += 1
        count[receiver.pk] += 1
        request = MeetingRequest.objects.create(
            event=event,
            from_participant=sender,
            to_participant=receiver,
            message=f"{sender.organisation.name if sender.organisation_id else ''} would like to "
            f"discuss {receiver.requests[:60] or 'a collaboration'}.",
            status=MeetingRequestStatus.ACCEPTED if accept else MeetingRequestStatus.PENDING,
            created=ctx.anchor,
            decided_at=ctx.anchor if accept else None,
        )
        if accept:
            Meeting.objects.get_or_create(
                event=event,
                a_id=pair[0],
                b_id=pair[1],
                defaults={"request": request, "created": ctx.anchor},
            )
