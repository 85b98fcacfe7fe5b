"""Forms of the events app. Times are typed in the host cluster's time zone."""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.models import Cluster, Topic
from clusters.selectors import topic_aliases
from clusters.widgets import TopicPicker

from .actions.validation import EVENT_YEARS_AHEAD
from .enums import Audience, EventFormat, EventKind, SeatType
from .models import DEFAULT_REMINDER_OFFSETS
from .rooms import room_queryset
from .uploads import process_cover

_UNITS = {"m": 1, "min": 1, "h": 60, "d": 1440}
_OFFSET_RE = re.compile(r"^\s*(\d+)\s*(m|min|h|d)?\s*$", re.IGNORECASE)


def parse_offsets(text: str) -> list[int]:
    """'24h, 1h, 30m, 2d' -> minutes, largest first. A bare number means minutes."""
    out = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = _OFFSET_RE.match(part)
        if not m:
            raise forms.ValidationError(
                _("Write reminders like “24h, 1h, 30m” (d = days, h = hours, m = minutes).")
            )
        out.add(int(m.group(1)) * _UNITS[(m.group(2) or "m").lower()])
    return sorted(out, reverse=True)


def format_offsets(minutes: list[int]) -> str:
    parts = []
    for m in minutes:
        if m % 1440 == 0:
            parts.append(f"{m // 1440}d")
        elif m % 60 == 0:
            parts.append(f"{m // 60}h")
        else:
            parts.append(f"{m}m")
    return ", ".join(parts)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LocalDateTimeField(forms.DateTimeField):
    """Parsed as a wall-clock time; the form makes it aware in the cluster's zone."""

    widget = LocalDateTimeInput
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for fmt in self.input_formats:
            try:
                return datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


TIME_FIELDS = ("start", "end", "registration_opens", "registration_closes")


class EventForm(forms.Form):
    cluster = forms.ModelChoiceField(
        label=gettext_lazy("Host cluster"), queryset=Cluster.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EventKind.choices)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=EventFormat.choices)
    start = LocalDateTimeField(label=gettext_lazy("Starts"))
    end = LocalDateTimeField(label=gettext_lazy("Ends"))
    room = forms.ModelChoiceField(
        label=gettext_lazy("Room of the cluster"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("The room is booked for the event under the room rules."),
    )
    address = forms.CharField(
        label=gettext_lazy("Or an outside address"), max_length=300, required=False
    )
    online_link = forms.URLField(
        label=gettext_lazy("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Shown only to confirmed registrants."),
    )
    capacity = forms.IntegerField(label=gettext_lazy("In-person seats"), min_value=0, initial=0)
    online_capacity = forms.IntegerField(
        label=gettext_lazy("Online seats"), min_value=0, initial=0, required=False
    )
    registration_opens = LocalDateTimeField(
        label=gettext_lazy("Registration opens"),
        required=False,
        help_text=gettext_lazy("Empty: open as soon as the event is published."),
    )
    registration_closes = LocalDateTimeField(
        label=gettext_lazy("Registration closes"),
        required=False,
        help_text=gettext_lazy("Empty: when the event starts."),
    )
    waitlist_enabled = forms.BooleanField(
        label=gettext_lazy("Waitlist when full"), required=False, initial=True
    )
    audience = forms.ChoiceField(label=gettext_lazy("Audience"), choices=Audience.choices)
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=TopicPicker,
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    cover = forms.FileField(
        label=gettext_lazy("Cover image"),
        required=False,
        help_text=gettext_lazy(
            "PNG, JPEG, GIF or WebP, at most 5 MB. It is re-encoded and its metadata removed."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    cover_alt = forms.CharField(
        label=gettext_lazy("What the cover shows"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Read out to people who cannot see the image."),
    )
    reminders = forms.CharField(
        label=gettext_lazy("Reminders before the start"),
        required=False,
        initial=format_offsets(DEFAULT_REMINDER_OFFSETS),
        help_text=gettext_lazy("For example “24h, 1h” (d = days, h = hours, m = minutes)."),
    )

    def __init__(self, *args, user, event=None, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        if user.is_network_admin or user.is_superuser:
            clusters = Cluster.objects.all()
        else:
            clusters = Cluster.objects.filter(pk__in=user.managed_cluster_ids)
        self.fields["cluster"].queryset = clusters
        self.fields["topics"].widget.aliases = SimpleLazyObject(topic_aliases)
        self.fields["start"].help_text = _(
            "Today at the earliest and at most %(years)d years ahead."
        ) % {"years": EVENT_YEARS_AHEAD}
        if event is not None:
            del self.fields["cluster"]
        elif clusters.count() == 1:
            self.fields["cluster"].initial = clusters.first()
        self.fields["room"].queryset = room_queryset(event.cluster if event else None, clusters)
        self.fields["room"].label_from_instance = lambda r: (
            _("%(room)s (%(cluster)s, %(n)s seats)")
            % {"room": r.name, "cluster": r.cluster.name, "n": r.capacity}
        )

    @property
    def cluster_obj(self) -> Cluster | None:
        if self.event is not None:
            return self.event.cluster
        return self.cleaned_data.get("cluster")

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if not isinstance(cover, UploadedFile):
            return cover  # False = clear; None or the stored file = unchanged
        return process_cover(cover, name_hint=self.cleaned_data.get("title") or "cover")

    def clean_reminders(self) -> list[int]:
        return parse_offsets(self.cleaned_data.get("reminders") or "")

    def clean(self):
        data = super().clean()
        cluster = self.cluster_obj
        if cluster is None:
            return data
        for name in TIME_FIELDS:
            value = data.get(name)
            if value is not None and timezone.is_naive(value):
                data[name] = timezone.make_aware(value, cluster.tzinfo)
        cover = data.get("cover")
        has_cover = isinstance(cover, ContentFile) or (
            cover is not False and self.event is not None and bool(self.event.cover)
        )
        if has_cover and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Say in a few words what the cover image shows."))
        room = data.get("room")
        if room is not None and room.cluster_id != cluster.pk:
            self.add_error("room", _("Choose a room of the host cluster."))
        return data

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("cluster", None)
        data["reminder_offsets"] = data.pop("reminders")
        data["online_capacity"] = data.get("online_capacity") or 0
        data["topics"] = list(data["topics"])
        cover = data.pop("cover", None)
        data["cover"] = cover if cover is False or isinstance(cover, ContentFile) else None
        data["cover_alt"] = (data.get("cover_alt") or "").strip()
        return data

    @classmethod
    def initial_for(cls, event) -> dict:
        tz = event.cluster.tzinfo
        initial = {
            f: getattr(event, f)
            for f in (
                "title",
                "kind",
                "format",
                "address",
                "online_link",
                "capacity",
                "online_capacity",
                "waitlist_enabled",
                "audience",
                "description",
                "cover_alt",
            )
        }
        initial["cover"] = event.cover
        for f in TIME_FIELDS:
            value = getattr(event, f)
            initial[f] = value.astimezone(tz).replace(tzinfo=None) if value else None
        initial["topics"] = list(event.topics.all())
        initial["reminders"] = format_offsets(event.reminder_offsets or [])
        if event.room_id:
            initial["room"] = event.room_id
        return initial


class RegistrationForm(forms.Form):
    seat_type = forms.ChoiceField(
        label=gettext_lazy("Seat"), choices=SeatType.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat_type"].choices = [(s, SeatType(s).label) for s in event.seat_types()]
        self.fields["seat_type"].initial = event.seat_types()[0]


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Message to the registrants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
