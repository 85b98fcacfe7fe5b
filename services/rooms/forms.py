from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.base.dates import parse_query_date, validate_sane_date

from .availability import MAX_OCCURRENCES, at_local
from .enums import Amenity, Frequency, RoomKind, Weekday
from .models import Room
from .uploads import process_room_photo

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class RoomFinderForm(forms.Form):
    attendees = forms.IntegerField(label=_("People"), min_value=1, max_value=5000, initial=4)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, validators=[validate_sane_date])
    start = forms.TimeField(label=_("From"), required=False, widget=TIME_WIDGET)
    end = forms.TimeField(label=_("To"), required=False, widget=TIME_WIDGET)
    duration = forms.IntegerField(
        label=_("Or for how long (minutes)"), required=False, min_value=15, max_value=24 * 60
    )
    amenities = forms.MultipleChoiceField(
        label=_("With"),
        choices=Amenity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind"))] + list(RoomKind.choices), required=False
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            self.add_error("end" if end is None else "start", _("Give both times, or neither."))
        elif start is not None and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class BookingForm(forms.Form):
    """A booking's fields; the room's rules are checked by the booking actions and
    their problems shown at these same fields (date, start, end, attendees)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, validators=[validate_sane_date])
    start = forms.TimeField(label=_("From"), widget=TIME_WIDGET)
    end = forms.TimeField(label=_("To"), widget=TIME_WIDGET)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=1, max_value=5000)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[("", _("Does not repeat"))] + list(Frequency.choices),
        required=False,
    )
    count = forms.IntegerField(
        label=_("How many times"),
        required=False,
        min_value=2,
        max_value=MAX_OCCURRENCES,
        help_text=_("At most %(n)s.") % {"n": MAX_OCCURRENCES},
    )
    until = forms.DateField(
        label=_("Or until"), required=False, widget=DATE_WIDGET, validators=[validate_sane_date]
    )

    def __init__(self, *args, room: Room, **kwargs):
        self.room = room
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The end must be after the start."))
        if data.get("repeat"):
            count, until = data.get("count"), data.get("until")
            if (
                count is None
                and until is None
                and not self.has_error("count")
                and not self.has_error("until")
            ):
                self.add_error("count", _("Say how many times, or until when."))
            elif count is not None and until is not None:
                self.add_error("until", _("Give the number of times or an end date, not both."))
            elif until is not None and data.get("date") and until <= data["date"]:
                self.add_error("until", _("The last date must be after the first."))
        return data

    def instants(self) -> tuple[datetime, datetime]:
        zone = self.room.tzinfo
        day = self.cleaned_data["date"]
        return (
            at_local(day, self.cleaned_data["start"], zone),
            at_local(day, self.cleaned_data["end"], zone),
        )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    whole_series = forms.BooleanField(label=_("All pending dates of this series"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SeriesCancelForm(forms.Form):
    from_date = forms.DateField(
        label=_("Cancel from"), widget=DATE_WIDGET, validators=[validate_sane_date]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class ClosedDateForm(forms.Form):
    date = forms.DateField(
        label=_("Closed on"), widget=DATE_WIDGET, validators=[validate_sane_date]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class ClosingNoticeForm(forms.Form):
    """The confirmation step of closing a date that holds bookings: it carries the
    refusal, on the message to the bookers or on the closing as a whole."""

    notice = forms.CharField(required=False, strip=False)


class RoomForm(forms.ModelForm):
    """A room and its weekly opening hours (one span per weekday)."""

    amenities = forms.MultipleChoiceField(
        label=_("Amenities"),
        choices=Amenity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photo_upload = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "PNG, JPEG, GIF or WebP, at most 5 MB. It is re-encoded and its metadata removed."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )

    class Meta:
        model = Room
        fields = [
            "cluster",
            "name",
            "kind",
            "capacity",
            "amenities",
            "location",
            "description",
            "photo_alt",
            "min_minutes",
            "max_minutes",
            "buffer_minutes",
            "advance_days",
            "needs_approval",
            "who_may_book",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"photo_alt": _("What the photo shows")}
        help_texts = {"photo_alt": _("Read out to people who cannot see the photo.")}

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["cluster"]
        elif clusters is not None:
            self.fields["cluster"].queryset = clusters
        self.fields["photo_alt"] = self.fields.pop("photo_alt")  # right after the photo
        hours = {}
        if self.instance.pk:
            for oh in self.instance.opening_hours.all():
                hours.setdefault(oh.weekday, (oh.opens, oh.closes))
        for wd, label in Weekday.choices:
            opens, closes = hours.get(wd, (None, None))
            if not self.instance.pk and wd < 5:
                opens, closes = time(8), time(19)
            self.fields[f"opens_{wd}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label},
                required=False,
                initial=opens,
                widget=TIME_WIDGET,
            )
            self.fields[f"closes_{wd}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label},
                required=False,
                initial=closes,
                widget=TIME_WIDGET,
            )

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if not upload:
            return None
        return process_room_photo(upload, name_hint=self.cleaned_data.get("name") or "room")

    def clean(self):
        data = super().clean()
        data["photo_alt"] = (data.get("photo_alt") or "").strip()
        has_photo = data.get("photo_upload") is not None or bool(self.instance.photo)
        if has_photo and not data["photo_alt"] and "photo_upload" not in self.errors:
            self.add_error("photo_alt", _("Say in a few words what the photo shows."))
        lo, hi = data.get("min_minutes"), data.get("max_minutes")
        if lo and hi and hi < lo:
            self.add_error(
                "max_minutes", _("The longest booking cannot be shorter than the shortest.")
            )
        for wd in range(7):
            opens, closes = data.get(f"opens_{wd}"), data.get(f"closes_{wd}")
            if (opens is None) != (closes is None):
                self.add_error(f"closes_{wd}", _("Give both times, or neither (closed)."))
            elif opens is not None and closes <= opens:
                self.add_error(f"closes_{wd}", _("A room must close after it opens."))
        return data

    def opening_hours(self) -> dict[int, list[tuple[time, time]]]:
        result = {}
        for wd in range(7):
            opens, closes = (
                self.cleaned_data.get(f"opens_{wd}"),
                self.cleaned_data.get(f"closes_{wd}"),
            )
            if opens is not None and closes is not None:
                result[wd] = [(opens, closes)]
        return result

    def room_fields(self) -> dict:
        return {
            k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields and k != "cluster"
        }


def chosen_week(query, *, today: date | None = None) -> tuple[date, str | None]:
    """The Monday of the week asked for in the query string (`week`), else of
    `today` (default: the active zone's), and why the asked week was not used."""
    today = today or timezone.localdate()
    day, error = parse_query_date(query.get("week"), today, today=today)
    return day - timedelta(days=day.weekday()), error
