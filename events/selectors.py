"""Reads of events reused across the portal."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .enums import Audience, EventStatus, RegistrationStatus
from .models import Event, Registration

VISIBLE_STATUSES = [EventStatus.PUBLISHED, EventStatus.CANCELLED]


def audience_q(user, prefix: str = "") -> Q:
    """Events whose audience includes `user` (status not considered)."""
    p = prefix
    q = Q(**{f"{p}audience": Audience.PUBLIC})
    if user is not None and user.is_authenticated:
        if user.is_network_admin or user.is_superuser:
            return Q()
        if user.is_approved_member:
            q |= Q(**{f"{p}audience": Audience.NETWORK})
        cluster_ids = set(user.active_cluster_ids) | set(user.staff_roles)
        if cluster_ids:
            q |= Q(**{f"{p}audience": Audience.CLUSTER, f"{p}cluster_id__in": cluster_ids})
    return q


def events_visible_to(user) -> QuerySet[Event]:
    """Published and cancelled events the person may see, plus everything of the
    clusters they manage (drafts included)."""
    qs = Event.objects.all()
    if user is not None and user.is_authenticated and (user.is_network_admin or user.is_superuser):
        return qs
    q = Q(status__in=VISIBLE_STATUSES) & audience_q(user)
    if user is not None and user.is_authenticated and user.managed_cluster_ids:
        q |= Q(cluster_id__in=user.managed_cluster_ids)
    return qs.filter(q)


def events_managed_by(user) -> QuerySet[Event]:
    if user.is_network_admin or user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(cluster_id__in=user.managed_cluster_ids)


def with_seat_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        confirmed_in_person=Count(
            "registrations",
            filter=Q(
                registrations__status=RegistrationStatus.CONFIRMED,
                registrations__seat_type="in_person",
            ),
        ),
        confirmed_online=Count(
            "registrations",
            filter=Q(
                registrations__status=RegistrationStatus.CONFIRMED,
                registrations__seat_type="online",
            ),
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def public_upcoming_events(*, limit: int = 6) -> list[Event]:
    """Upcoming published public events, soonest first (home page)."""
    return list(
        Event.objects.filter(
            status=EventStatus.PUBLISHED, audience=Audience.PUBLIC, end__gt=timezone.now()
        )
        .select_related("cluster")
        .order_by("start", "id")[:limit]
    )


def upcoming_events_for_cluster(cluster, limit: int = 5, user=None) -> list[Event]:
    """Upcoming published events hosted by `cluster`, soonest first.

    Without `user`, only public and network-wide events (a cluster page may be
    seen by people outside the cluster); pass the viewer to include the events
    their audience allows.
    """
    qs = Event.objects.filter(
        cluster=cluster, status=EventStatus.PUBLISHED, end__gt=timezone.now()
    ).select_related("cluster")
    if user is None:
        qs = qs.filter(audience__in=[Audience.PUBLIC, Audience.NETWORK])
    else:
        qs = qs.filter(audience_q(user))
    return list(qs.order_by("start", "id")[:limit])


def registration_for(event: Event, user) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return Registration.objects.active().filter(event=event, user=user).first()


def waitlist_position(registration: Registration) -> int | None:
    """1-based place on the waitlist of the same seat type, or None."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return Registration.objects.waitlist_place(registration)


def with_waitlist_position(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate `position` (1-based waitlist place per seat type; None if not waitlisted)."""
    ahead = (
        Registration.objects.filter(
            event_id=OuterRef("event_id"),
            seat_type=OuterRef("seat_type"),
            status=RegistrationStatus.WAITLISTED,
            id__lte=OuterRef("id"),
        )
        .order_by()
        .values("event_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        position=Subquery(ahead)
    )  # meaningful only for waitlisted rows; templates check the status


def attendee_list(event: Event) -> QuerySet[Registration]:
    return with_waitlist_position(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user", "user__organisation")
        .order_by("status", "seat_type", "user__last_name", "user__first_name", "id")
    )


def registrations_of(user) -> QuerySet[Registration]:
    return with_waitlist_position(
        Registration.objects.active()
        .filter(user=user)
        .select_related("event", "event__cluster", "event__room")
        .order_by("event__start")
    )


def calendar_items_for(user) -> list:
    """icalendar events for the person's feed: the events of their confirmed
    registrations (cancelled events stay, marked CANCELLED, so calendars drop them)."""
    from .ics import event_ics_component

    regs = (
        Registration.objects.filter(user=user, status=RegistrationStatus.CONFIRMED)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event", "event__cluster", "event__room")
        .order_by("event__start")
    )
    return [event_ics_component(r.event, registration=r) for r in regs]
