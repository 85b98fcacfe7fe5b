"""Writes of the events app: scheduling, registration and the waitlist.

Locks are taken in one order: the Event row first, then registrations. Every
registration change locks the event row, so counting confirmed seats and
deciding confirmed/waitlisted happen one request at a time per event: capacity
cannot be exceeded whatever the timing.
"""

from .lifecycle import event_cancel, event_create, event_publish, event_update, unique_event_slug
from .registrations import (
    registration_cancel,
    registration_create,
    registration_set_attended,
    seat_type_label,
)
from .validation import EVENT_YEARS_AHEAD, event_date_window

__all__ = [
    "EVENT_YEARS_AHEAD",
    "event_cancel",
    "event_create",
    "event_date_window",
    "event_publish",
    "event_update",
    "registration_cancel",
    "registration_create",
    "registration_set_attended",
    "seat_type_label",
    "unique_event_slug",
]
