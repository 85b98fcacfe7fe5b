"""What the events' emails show and attach: times in the cluster's zone, the .ics."""

from __future__ import annotations

from ..ics import event_ics
from ..models import Event, Registration


def local_times(event: Event) -> dict:
    """Start and end in the cluster's time zone, for emails."""
    tz = event.cluster.tzinfo
    return {"local_start": event.start.astimezone(tz), "local_end": event.end.astimezone(tz)}


def ics_attachment(event: Event, registration: Registration) -> tuple[str, str, str]:
    return (
        f"{event.slug}.ics",
        event_ics(event, registration=registration).decode(),
        "text/calendar",
    )
