"""Forms of the brokerage app. Times are typed in the host cluster's time zone;
the availability slots are listed in the person's own zone when set."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.models import Topic
from events.forms import LocalDateTimeField

from .models import MAX_MEETING_MINUTES, MAX_TABLES, MIN_MEETING_MINUTES, MeetingRequest
from .widgets import DayGridWidget

SESSION_FIELDS = 3


class BrokerageSettingsForm(forms.Form):
    meeting_minutes = forms.IntegerField(
        label=gettext_lazy("Meeting length (minutes)"),
        min_value=MIN_MEETING_MINUTES,
        max_value=MAX_MEETING_MINUTES,
        initial=20,
    )
    tables = forms.IntegerField(
        label=gettext_lazy("Tables per slot"),
        min_value=1,
        max_value=MAX_TABLES,
        initial=10,
    )
    max_meetings = forms.IntegerField(
        label=gettext_lazy("Maximum meetings per participant"), min_value=1, initial=12
    )
    requires_acceptance = forms.BooleanField(
        label=gettext_lazy("A request needs the other person's acceptance"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Unticked: a request becomes a meeting at once."),
    )
    pending_expiry_hours = forms.IntegerField(
        label=gettext_lazy("Pending requests expire after (hours)"), min_value=1, initial=72
    )
    request_deadline = LocalDateTimeField(
        label=gettext_lazy("Request deadline"),
        required=False,
        help_text=gettext_lazy(
            "At the latest when the event ends. Empty: requests can be sent until the event ends."
        ),
    )

    def __init__(self, *args, event, suggestion: int | None = None, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        for n in range(1, SESSION_FIELDS + 1):
            required = n == 1
            self.fields[f"session_{n}_start"] = LocalDateTimeField(
                label=_("Session %(n)d starts") % {"n": n}, required=required
            )
            self.fields[f"session_{n}_end"] = LocalDateTimeField(
                label=_("Session %(n)d ends") % {"n": n}, required=required
            )
        if suggestion:
            hint = _("Suggested: %(n)d (expected meetings per slot plus 15%%).") % {"n": suggestion}
        else:
            hint = _("Rule of thumb: expected meetings divided by the number of slots, plus 15%.")
        self.fields["tables"].help_text = " ".join([hint, _("At most %(n)d.") % {"n": MAX_TABLES}])

    def clean(self):
        data = super().clean()
        tz = self.event.cluster.tzinfo
        for name, value in list(data.items()):
            if hasattr(value, "tzinfo") and value is not None and timezone.is_naive(value):
                data[name] = timezone.make_aware(value, tz)
        for n in range(1, SESSION_FIELDS + 1):
            start, end = data.get(f"session_{n}_start"), data.get(f"session_{n}_end")
            if (start is None) != (end is None):
                self.add_error(
                    f"session_{n}_end" if end is None else f"session_{n}_start",
                    _("Give both the start and the end of the session."),
                )
        return data

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        sessions = []
        for n in range(1, SESSION_FIELDS + 1):
            start, end = data.get(f"session_{n}_start"), data.get(f"session_{n}_end")
            if start and end:
                sessions.append((start, end))
        return {
            "sessions": sessions,
            "meeting_minutes": data["meeting_minutes"],
            "tables": data["tables"],
            "max_meetings": data["max_meetings"],
            "requires_acceptance": data["requires_acceptance"],
            "pending_expiry_hours": data["pending_expiry_hours"],
            "request_deadline": data.get("request_deadline"),
        }

    @classmethod
    def initial_for(cls, brokerage) -> dict:
        tz = brokerage.event.cluster.tzinfo
        initial = {
            f: getattr(brokerage, f)
            for f in (
                "meeting_minutes",
                "tables",
                "max_meetings",
                "requires_acceptance",
                "pending_expiry_hours",
            )
        }
        if brokerage.request_deadline:
            initial["request_deadline"] = brokerage.request_deadline.astimezone(tz).replace(
                tzinfo=None
            )
        for n, session in enumerate(brokerage.sessions.order_by("start")[:SESSION_FIELDS], 1):
            initial[f"session_{n}_start"] = session.start.astimezone(tz).replace(tzinfo=None)
            initial[f"session_{n}_end"] = session.end.astimezone(tz).replace(tzinfo=None)
        return initial


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, tz=None, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)

    def label_from_instance(self, slot):
        start, end = slot.start.astimezone(self.tz), slot.end.astimezone(self.tz)
        return f"{date_format(start, 'WEEKDAY_DATETIME_FORMAT')}–{time_format(end, 'H:i')}"


class ParticipantForm(forms.Form):
    offers = forms.CharField(
        label=gettext_lazy("What we offer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    requests = forms.CharField(
        label=gettext_lazy("What we are looking for"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"), queryset=Topic.objects.order_by("name"), required=False
    )

    def __init__(self, *args, brokerage, zone: str = "", busy=frozenset(), **kwargs):
        """`zone`: the time zone the slots are shown in (default: the cluster's);
        `busy`: ids of the slots holding one of the person's scheduled meetings."""
        super().__init__(*args, **kwargs)
        tz = ZoneInfo(zone) if zone else brokerage.event.cluster.tzinfo
        self.fields["availability"] = SlotChoiceField(
            label=_("I am available for meetings at"),
            queryset=brokerage.slots.order_by("index"),
            widget=DayGridWidget(tz=tz, busy=busy),
            required=False,
            tz=tz,
            help_text=_(
                "Untick the times when you cannot meet. A slot marked “meeting” holds one "
                "of your meetings and stays ticked."
            ),
        )

    def clean(self):
        data = super().clean()
        if not (data.get("offers") or "").strip() and not (data.get("requests") or "").strip():
            self.add_error("offers", _("Say what you offer or what you are looking for."))
        return data

    @staticmethod
    def initial_for(participant=None, user=None, brokerage=None) -> dict:
        if participant is not None:
            return {
                "offers": participant.offers,
                "requests": participant.requests,
                "topics": list(participant.topics.all()),
                "availability": list(participant.availability.all()),
            }
        org = getattr(user, "organisation", None)
        initial = {"availability": list(brokerage.slots.all())}
        if org is not None:
            initial.update(
                offers=org.offers,
                requests=org.needs,
                topics=list(org.offer_topics.all()) + list(org.need_topics.all()),
            )
        return initial


class MeetingRequestForm(forms.ModelForm):
    class Meta:
        model = MeetingRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
        labels = {"message": gettext_lazy("Message (why you would like to meet)")}


class FeedbackForm(forms.Form):
    held = forms.TypedChoiceField(
        label=gettext_lazy("Did the meeting take place?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=gettext_lazy("How useful was it?"),
        choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("1 = not at all, 5 = very useful."),
    )
    follow_up = forms.BooleanField(label=gettext_lazy("We plan a follow-up"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("held") and data.get("usefulness") is None:
            self.add_error("usefulness", _("Rate how useful the meeting was."))
        return data
