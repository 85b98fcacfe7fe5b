"""Reads of events reused across the portal."""


def public_upcoming_events(*, limit: int = 6) -> list:
    """Upcoming published public events, soonest first (the events issue fills this in)."""
    return []


def calendar_items_for(user) -> list:
    """icalendar events of this app for the person's calendar feed (filled in by this app's issue)."""
    return []
