import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Organisation
from clusters.widgets import FastSelect
from portal.base.dates import validate_sane_date

from .enums import BookingStatus
from .models import Booking
from .selectors import rooms_managed_by

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class BookingManageFilter(django_filters.FilterSet):
    """All bookings of the rooms a manager runs."""

    room = django_filters.ModelChoiceFilter(label=_("Room"), queryset=None, widget=FastSelect)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=BookingStatus.choices, widget=FastSelect
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="start",
        lookup_expr="date__gte",
        widget=DATE_WIDGET,
        validators=[validate_sane_date],
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="start",
        lookup_expr="date__lte",
        widget=DATE_WIDGET,
        validators=[validate_sane_date],
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=None, widget=FastSelect
    )

    class Meta:
        model = Booking
        fields = ["room", "status", "date_from", "date_to", "organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = rooms_managed_by(user)
        self.filters["room"].queryset = rooms
        self.filters["organisation"].queryset = (
            Organisation.objects.filter(room_bookings__room__in=rooms).distinct().only("pk", "name")
        )
