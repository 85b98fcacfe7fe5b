"""What an event's fields must satisfy: dates inside the event window, a sane
length and registration period, seats and a place for its format, reminder offsets."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.base.dates import validate_sane_date
from portal.base.errors import ActionError

from ..enums import EventFormat

MAX_REMINDER_MINUTES = 30 * 24 * 60
# An event starts today at the earliest (in the host cluster's zone): an event in the
# past cannot be registered for or announced. It may be planned this many years ahead.
EVENT_YEARS_AHEAD = 3
MAX_EVENT_LENGTH = timedelta(days=31)


def event_date_window(today: date) -> tuple[date, date]:
    """The first and last local day an event may start on (both inclusive)."""
    try:
        last = today.replace(year=today.year + EVENT_YEARS_AHEAD)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + EVENT_YEARS_AHEAD, day=28)
    return today, last


def local_day(value: datetime, tz) -> date | None:
    """The day `value` falls on in `tz`; None when it lies so far out (year 1 or
    9999) that the conversion overflows."""
    try:
        return value.astimezone(tz).date()
    except (OverflowError, ValueError):
        return None


def window_error(today: date) -> str:
    first, last = event_date_window(today)
    return _(
        "An event must start between %(first)s and %(last)s: today at the earliest and at"
        " most %(years)d years ahead."
    ) % {
        "first": date_format(first, "DATE_FORMAT"),
        "last": date_format(last, "DATE_FORMAT"),
        "years": EVENT_YEARS_AHEAD,
    }


def validate_dates(data: dict, *, cluster, start_changed: bool) -> None:
    """Refuse starts outside the event window (an unchanged start of an existing
    event is kept, so a past event can still be corrected), events longer than
    MAX_EVENT_LENGTH and registration times outside the portal's date window."""
    tz = cluster.tzinfo
    today = timezone.localdate(timezone=tz)
    first, last = event_date_window(today)
    start_day = local_day(data["start"], tz)
    if start_changed and (start_day is None or not first <= start_day <= last):
        raise ActionError(window_error(today), field="start")
    if local_day(data["end"], tz) is None or data["end"] - data["start"] > MAX_EVENT_LENGTH:
        raise ActionError(
            _("An event lasts at most %(days)d days.") % {"days": MAX_EVENT_LENGTH.days},
            field="end",
        )
    for name in ("registration_opens", "registration_closes"):
        value = data.get(name)
        if value is None:
            continue
        try:
            if local_day(value, tz) is None:
                raise ValidationError(window_error(today))
            validate_sane_date(value.astimezone(tz).replace(tzinfo=None), today=today)
        except ValidationError as exc:
            raise ActionError(" ".join(exc.messages), field=name) from exc


def validate_fields(data: dict) -> None:
    start, end = data["start"], data["end"]
    if end <= start:
        raise ActionError(_("The event must end after it starts."), field="end")
    opens, closes = data.get("registration_opens"), data.get("registration_closes")
    if opens and opens >= (closes or end):
        raise ActionError(_("Registration must open before it closes."), field="registration_opens")
    if closes and closes > end:
        raise ActionError(
            _("Registration must close before the event ends."), field="registration_closes"
        )
    fmt = data["format"]
    if fmt in (EventFormat.IN_PERSON, EventFormat.HYBRID):
        if not data.get("capacity"):
            raise ActionError(_("Give the number of in-person seats."), field="capacity")
        if not data.get("address") and not data.get("room"):
            raise ActionError(
                _("Choose one of the cluster's rooms or give an address."), field="address"
            )
    if fmt in (EventFormat.ONLINE, EventFormat.HYBRID) and not data.get("online_capacity"):
        raise ActionError(_("Give the number of online seats."), field="online_capacity")
    offsets = data.get("reminder_offsets") or []
    if any(not isinstance(m, int) or m <= 0 or m > MAX_REMINDER_MINUTES for m in offsets):
        raise ActionError(
            _("Reminders must be between 1 minute and 30 days before the start."),
            field="reminder_offsets",
        )


def normalise(data: dict) -> dict:
    data = dict(data)
    fmt = data["format"]
    if fmt == EventFormat.ONLINE:
        data["capacity"] = 0
        data["address"] = ""
        data["room"] = None
    if fmt == EventFormat.IN_PERSON:
        data["online_capacity"] = 0
    data["reminder_offsets"] = sorted(set(data.get("reminder_offsets") or []), reverse=True)
    return data
