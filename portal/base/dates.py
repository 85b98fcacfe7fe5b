"""The window of dates people may enter, shared by every app.

A date typed into a form or put in a query string must fall between one year
before today and five years after it (`sane_window`). Outside it nothing useful
can happen (no booking, no event, no week to show) and date arithmetic near
year 1 or 9999 overflows, so such input is refused with a message naming the
window instead of failing with a 500.

Use:

- in a form, ``forms.DateField(validators=[validate_sane_date])`` (or call it
  in ``clean_<field>``); it also takes datetimes (their local date);
- for a query string, ``day, error = parse_query_date(request.GET.get("week"), default)``:
  a missing value gives ``(default, None)``; a bad or far-off one gives
  ``(default, message)``, to be shown to the person.

Both take ``today`` for tests and for places that know their own local day (a
room's or a cluster's zone); by default it is the active time zone's date.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

YEARS_BACK = 1
YEARS_AHEAD = 5


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def sane_window(today: date | None = None) -> tuple[date, date]:
    """The first and last date accepted, both inclusive."""
    today = today or timezone.localdate()
    return _years_from(today, -YEARS_BACK), _years_from(today, YEARS_AHEAD)


def window_message(today: date | None = None) -> str:
    first, last = sane_window(today)
    return _(
        "Choose a date between %(first)s and %(last)s: dates further back or further"
        " ahead are not accepted."
    ) % {"first": date_format(first, "DATE_FORMAT"), "last": date_format(last, "DATE_FORMAT")}


def validate_sane_date(value: date | datetime | None, *, today: date | None = None) -> None:
    """Raise ValidationError (code "out_of_window") unless `value` lies in the window.
    None passes (leave "required" to the field)."""
    if value is None:
        return
    if isinstance(value, datetime):
        moment = value
        try:
            value = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
        except OverflowError:  # near year 1 or 9999: far outside the window anyway
            value = moment.date()
    first, last = sane_window(today)
    if not first <= value <= last:
        raise ValidationError(window_message(today), code="out_of_window")


def parse_query_date(
    request_value: str | None, default: date, *, today: date | None = None
) -> tuple[date, str | None]:
    """A date from a query string: (the date, None), or (`default`, a message
    saying why the value was not used)."""
    if not request_value:
        return default, None
    try:
        value = forms.DateField().clean(request_value)
        validate_sane_date(value, today=today)
    except ValidationError as exc:
        return default, " ".join(exc.messages)
    return value, None
