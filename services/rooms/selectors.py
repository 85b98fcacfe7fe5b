

def calendar_items_for(user) -> list:
    """icalendar events of this app for the person's calendar feed (filled in by this app's issue)."""
    return []
