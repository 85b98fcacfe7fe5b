"""Personal data of the events app: a person's registrations (see portal/privacy.py)."""

from django.utils import timezone

from portal.base.errors import ActionError

from .actions import registration_cancel
from .models import Registration

EXPORTED = {
    "events.Registration.user": "registrations",
}
NOT_PERSONAL = {
    "events.Event.created_by": (
        "The manager who created a cluster's event: the cluster's work record; the "
        "event belongs to the cluster."
    ),
}


def _iso(value):
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    registrations = (
        Registration.objects.filter(user=user).select_related("event").order_by("created", "pk")
    )
    return {
        "registrations": [
            {
                "event": r.event.title,
                "start": r.event.start.isoformat(),
                "seat": r.seat_type,
                "status": r.status,
                "registered": r.created.isoformat(),
                "confirmed": _iso(r.confirmed_at),
                "promoted_from_waitlist": _iso(r.promoted_at),
                "cancelled": _iso(r.cancelled_at),
                "checked_in": _iso(r.attended_at),
            }
            for r in registrations
        ]
    }


def anonymise_personal_data(user) -> None:
    """Cancel the registrations for events still to come through the usual action:
    a freed seat goes to the first person waiting, who is told. Past registrations
    stay for the event's attendance figures."""
    upcoming = Registration.objects.active().filter(user=user, event__start__gt=timezone.now())
    for registration in upcoming.order_by("pk"):
        try:
            registration_cancel(actor=user, registration=registration)
        except ActionError:
            continue  # cancelled meanwhile
