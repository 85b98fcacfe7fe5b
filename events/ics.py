"""The .ics of an event: one VEVENT, with the online link only for confirmed registrants."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.base.ics import ics_calendar, ics_event

from .enums import EventStatus, SeatType


def _location(event, show_link: bool) -> str:
    place = event.place
    if show_link and event.online_link and (not place or event.format == "online"):
        return event.online_link
    return place


def event_ics_component(event, *, registration=None, show_link: bool | None = None):
    """An icalendar VEVENT for `event`. The online link appears when the
    registration is confirmed (or `show_link` says so)."""
    if show_link is None:
        show_link = registration is not None and registration.is_confirmed
    lines = [event.description.strip()] if event.description else []
    if show_link and event.online_link:
        lines.append(_("Online link: %(link)s") % {"link": event.online_link})
    if registration is not None and event.format == "hybrid":
        seat = SeatType(registration.seat_type).label
        lines.append(_("Your seat: %(seat)s") % {"seat": seat})
    return ics_event(
        uid=f"event-{event.pk}",
        summary=event.title,
        start=event.start,
        end=event.end,
        tz=event.cluster.time_zone,
        location=_location(event, show_link),
        description="\n\n".join(lines),
        url=event.get_absolute_url(),
        status="CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED",
        sequence=event.sequence,
    )


def event_ics(event, *, registration=None, show_link: bool | None = None) -> bytes:
    method = "CANCEL" if event.status == EventStatus.CANCELLED else "PUBLISH"
    return ics_calendar(
        [event_ics_component(event, registration=registration, show_link=show_link)],
        name=event.title,
        method=method,
    )
