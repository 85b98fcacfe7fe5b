from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    """A date range, both days included, in a time zone."""

    start: date
    end: date
    tz: str = "UTC"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=ZoneInfo(self.tz))

    @property
    def end_dt(self) -> datetime:
        """Exclusive end: midnight after the last day."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=ZoneInfo(self.tz))

    def previous(self) -> Period:
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, self.tz)

    def key(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}_{self.tz}"


def default_period(tz: str = "UTC") -> Period:
    today = timezone.localdate(timezone=ZoneInfo(tz))
    return Period(today - timedelta(days=364), today, tz)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        if start and end and (end - start).days > 3 * 366:
            self.add_error("start", _("Choose a range of at most three years."))
        first, last = date(2000, 1, 1), timezone.localdate() + timedelta(days=366)
        message = _("Choose a date between %(first)s and %(last)s.") % {
            "first": date_format(first, "DATE_FORMAT"),
            "last": date_format(last, "DATE_FORMAT"),
        }
        for name in ("start", "end"):
            value = data.get(name)
            if value and not first <= value <= last:
                self.add_error(name, message)
        return data

    def period(self, tz: str) -> Period:
        default = default_period(tz)
        if not self.is_valid():
            return default
        start = self.cleaned_data.get("start") or default.start
        end = self.cleaned_data.get("end") or default.end
        return Period(start, end, tz)
