"""What the member dashboard shows: the person's open requests, bookings, events,
meetings and notifications, each read by the app that owns it where that app has a
reader, here otherwise."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.partners.selectors import report_clusters
from events.brokerage.models import Meeting
from events.selectors import registrations_of
from services.counselling.models import OPEN_STATUSES, RequestStatus
from services.counselling.selectors import requests_assigned_to, requests_of_organisation
from services.rooms.enums import BookingStatus
from services.rooms.models import Booking

# What an open request waits for, in words a member understands.
WAITS_FOR = {
    RequestStatus.SUBMITTED: _("the cluster team to look at it"),
    RequestStatus.TRIAGED: _("the cluster team to choose an advisor"),
    RequestStatus.ASSIGNED: _("the advisor to start"),
    RequestStatus.IN_PROGRESS: _("the advisor"),
    RequestStatus.WAITING: _("your answer"),
}


# The columns each list reads (its template: portal/dashboard.html), so that a few
# rows do not bring the full rows of every joined table with them.
REQUEST_LINE = ("reference", "subject", "status", "due_date")
BOOKING_LINE = (
    "title",
    "start",
    "end",
    "status",
    "room__name",
    "room__cluster__time_zone",
)
MEETING_LINE = (
    "table",
    "slot__start",
    "event__title",
    "event__cluster__time_zone",
    "a__user",
    "a__organisation__name",
    "b__user",
    "b__organisation__name",
)


EVENT_LINE = (
    "status",
    "event__slug",
    "event__title",
    "event__start",
    "event__cluster__time_zone",
)


def unread_notifications(user):
    """The five latest unread notices: subject and date (the recipient is known)."""
    unread = user.notifications.filter(read_at__isnull=True)
    return unread.only("recipient", "subject", "created")[:5]


def request_lines(requests):
    """Requests as the dashboard lists them: reference, subject, status, due date."""
    return requests.select_related(None).only(*REQUEST_LINE)


def waits_for(request) -> str:
    return WAITS_FOR.get(request.status, "")


def next_bookings(user, now):
    """The person's coming room bookings, confirmed or awaiting confirmation."""
    return (
        Booking.objects.filter(
            person=user,
            end__gte=now,
            status__in=[BookingStatus.CONFIRMED, BookingStatus.PENDING],
        )
        .select_related("room__cluster")
        .only(*BOOKING_LINE)
        .order_by("start")[:5]
    )


def agenda(user, now):
    """The person's coming brokerage meetings that have a slot."""
    return (
        Meeting.objects.filter(
            Q(a__user=user) | Q(b__user=user), slot__isnull=False, slot__end__gte=now
        )
        .select_related("slot", "event__cluster", "a__organisation", "b__organisation")
        .only(*MEETING_LINE)
        .order_by("slot__start")[:8]
    )


def member_dashboard(user) -> dict[str, Any]:
    """The dashboard's context, partner suggestions aside (showing them records them
    as shown: the view asks the partners app for that section)."""
    now = timezone.now()
    open_requests = list(
        request_lines(requests_of_organisation(user))
        .filter(status__in=OPEN_STATUSES)
        .order_by("due_date")[:10]
    )
    return {
        "organisation": user.organisation,
        "memberships": (
            user.organisation.memberships.select_related("cluster").only(
                "organisation", "status", "cluster__name"
            )
            if user.organisation_id
            else []
        ),
        "notifications": unread_notifications(user),
        "open_requests": [(r, waits_for(r)) for r in open_requests],
        "resolved_to_rate": request_lines(requests_of_organisation(user)).filter(
            status=RequestStatus.RESOLVED, satisfaction__isnull=True
        )[:5],
        "assigned_requests": (
            request_lines(requests_assigned_to(user))
            .filter(status__in=OPEN_STATUSES)
            .order_by("due_date")[:10]
        ),
        "next_bookings": next_bookings(user, now),
        "next_events": list(
            registrations_of(user)
            .select_related(None)
            .select_related("event__cluster")
            .only(*EVENT_LINE)
            .filter(event__end__gte=now)[:5]
        ),
        "agenda": agenda(user, now),
        "partner_report_clusters": report_clusters(user),
    }
