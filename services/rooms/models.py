"""Rooms, their opening hours and closed dates, bookings and booking series."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin

from .enums import ACTIVE_STATUSES, BookingStatus, Frequency, RoomKind, Weekday, WhoMayBook


class TsTzRange(Func):
    """tstzrange(start, end, '[)'): a half-open time range, for the exclusion constraint."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL only.

    SQLite has no exclusion constraints: there the DDL is skipped (also when
    SQLite remakes the table) and the application lock alone prevents overlaps.
    Validation is left to the booking actions, which give a readable message.
    """

    @staticmethod
    def _is_postgres(schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor)
            if self._is_postgres(schema_editor)
            else None
        )

    def create_sql(self, model, schema_editor):
        return (
            super().create_sql(model, schema_editor) if self._is_postgres(schema_editor) else None
        )

    def remove_sql(self, model, schema_editor):
        return (
            super().remove_sql(model, schema_editor) if self._is_postgres(schema_editor) else None
        )

    def validate(self, *args, **kwargs):
        return None


def room_photo_path(instance, filename: str) -> str:
    return f"rooms/{filename}"


class Room(ChoiceDisplayMixin, models.Model):
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        related_name="rooms",
        verbose_name=_("cluster"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=RoomKind.choices, default=RoomKind.MEETING
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    amenities = models.JSONField(_("amenities"), default=list, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Re-encoded on upload (services/rooms/uploads.py): no metadata, nothing of the original bytes.
    photo = models.ImageField(_("photo"), upload_to=room_photo_path, blank=True)
    photo_alt = models.CharField(
        _("photo description"),
        max_length=200,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    min_minutes = models.PositiveIntegerField(
        _("shortest booking (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    max_minutes = models.PositiveIntegerField(
        _("longest booking (minutes)"), default=600, validators=[MinValueValidator(5)]
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer between bookings (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    advance_days = models.PositiveIntegerField(
        _("bookable how many days ahead"), default=90, validators=[MinValueValidator(1)]
    )
    needs_approval = models.BooleanField(_("bookings need a manager's approval"), default=False)
    who_may_book = models.CharField(
        _("who may book"), max_length=10, choices=WhoMayBook.choices, default=WhoMayBook.CLUSTER
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["cluster__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="room_unique_cluster_name"),
            models.CheckConstraint(
                condition=Q(max_minutes__gte=models.F("min_minutes")), name="room_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rooms:room_detail", args=[self.pk])

    @property
    def time_zone(self) -> str:
        return self.cluster.time_zone

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.cluster.time_zone)

    def get_amenities_display(self) -> list[str]:
        from .enums import Amenity

        labels = dict(Amenity.choices)
        return [str(labels.get(a, a)) for a in self.amenities]

    @property
    def amenity_items(self) -> list[tuple[str, str]]:
        """(code, label) of each known amenity, in the order of the Amenity choices:
        the code names the icon (static/icons/amenities.svg#amenity-<code>)."""
        from .enums import Amenity

        held = set(self.amenities)
        return [(code, str(label)) for code, label in Amenity.choices if code in held]

    @property
    def photo_description(self) -> str:
        """The photo's alt text: the manager's description, else "Photo of <name>"."""
        return self.photo_alt or _("Photo of %(name)s") % {"name": self.name}

    @property
    def initials(self) -> str:
        """Up to two letters standing in for a missing photo ("Salle Pasteur" -> "SP")."""
        words = [w for w in self.name.split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "?"


class OpeningHours(ChoiceDisplayMixin, models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="openinghours_opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ClosedDate(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="closed_dates")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        constraints = [
            models.UniqueConstraint(fields=["room", "date"], name="closeddate_unique_room_date")
        ]

    def __str__(self) -> str:
        return f"{self.room}: {self.date}"


class BookingSeries(ChoiceDisplayMixin, models.Model):
    """A recurring booking: the rule as asked; the bookings are its occurrences."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series")
    organisation = models.ForeignKey(
        "clusters.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    frequency = models.CharField(_("repeat"), max_length=10, choices=Frequency.choices)
    count = models.PositiveSmallIntegerField(_("occurrences"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_frequency_display()})"


class Booking(ChoiceDisplayMixin, models.Model):
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room")
    )
    organisation = models.ForeignKey(
        "clusters.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="room_bookings",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="room_bookings",
        verbose_name=_("booked by"),
    )
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="room_bookings",
        verbose_name=_("event"),
    )
    title = models.CharField(_("title"), max_length=200)
    attendees = models.PositiveIntegerField(_("attendees"))
    notes = models.TextField(_("notes"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    series = models.ForeignKey(
        BookingSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name=_("series"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_end_after_start"
            ),
            # Backs the application check: two active bookings of one room never overlap.
            PostgresOnlyExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                    ("room", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=[s.value for s in ACTIVE_STATUSES]),
            ),
        ]
        indexes = [
            models.Index(fields=["room", "start"], name="booking_room_start"),
            models.Index(fields=["status", "start"], name="booking_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.room}, {self.start:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("rooms:booking_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_pending(self) -> bool:
        return self.status == BookingStatus.PENDING
