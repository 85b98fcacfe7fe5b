"""What the event page offers besides its own .ics: "Add to calendar" links for
Google and Outlook, the seat meter, the date block and a map search link.

Google and Outlook take the times in UTC ("...Z" for Google, ISO 8601 with Z for
Outlook), so the link means the same instant whatever the zone of the person who
opens it; every value is URL-encoded (urllib's quote, spaces as %20).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
OSM_SEARCH = "https://www.openstreetmap.org/search"


def _utc(t: datetime) -> datetime:
    if t.tzinfo is None:
        raise ValueError("calendar links need aware datetimes")
    return t.astimezone(UTC)


def google_calendar_url(
    *, title: str, start: datetime, end: datetime, details: str = "", location: str = ""
) -> str:
    dates = f"{_utc(start):%Y%m%dT%H%M%SZ}/{_utc(end):%Y%m%dT%H%M%SZ}"
    params = {"action": "TEMPLATE", "text": title, "dates": dates}
    if details:
        params["details"] = details
    if location:
        params["location"] = location
    return f"{GOOGLE_RENDER}?{urlencode(params, quote_via=quote)}"


def outlook_calendar_url(
    *, title: str, start: datetime, end: datetime, details: str = "", location: str = ""
) -> str:
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": f"{_utc(start):%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{_utc(end):%Y-%m-%dT%H:%M:%SZ}",
    }
    if details:
        params["body"] = details
    if location:
        params["location"] = location
    return f"{OUTLOOK_COMPOSE}?{urlencode(params, quote_via=quote)}"


def map_search_url(address: str) -> str:
    """An OpenStreetMap search for the address (a link only: no embedded map)."""
    return f"{OSM_SEARCH}?{urlencode({'query': ' '.join(address.split())}, quote_via=quote)}"


@dataclass(frozen=True)
class SeatMeter:
    """One kind of seat (in person or online) as the page shows it."""

    kind: str  # "in_person" or "online"
    capacity: int
    taken: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.left == 0

    @property
    def state(self) -> str:
        """ "full", "few" (a fifth of the seats or less left) or "open"."""
        if self.is_full:
            return "full"
        if self.left * 5 <= self.capacity:
            return "few"
        return "open"

    @property
    def percent_taken(self) -> int:
        if self.capacity <= 0:
            return 100
        return min(round(100 * self.taken / self.capacity), 100)


def seat_meters(event, *, confirmed_in_person: int, confirmed_online: int) -> list[SeatMeter]:
    meters = []
    if event.has_in_person_seats:
        meters.append(SeatMeter("in_person", event.capacity, confirmed_in_person))
    if event.has_online_seats:
        meters.append(SeatMeter("online", event.online_capacity, confirmed_online))
    return meters


def online_still_free(meters: list[SeatMeter]) -> bool:
    """In-person is full while online seats are left (a hybrid event)."""
    by_kind = {m.kind: m for m in meters}
    in_person, online = by_kind.get("in_person"), by_kind.get("online")
    return bool(in_person and online and in_person.is_full and not online.is_full)
