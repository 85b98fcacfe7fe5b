"""Events, registrations (with the waitlist) and reminder deliveries."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin

from .enums import (
    Audience,
    DeliveryStatus,
    EventFormat,
    EventKind,
    EventStatus,
    RegistrationStatus,
    SeatType,
)

DEFAULT_REMINDER_OFFSETS = [24 * 60, 60]  # minutes before the start


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class Event(ChoiceDisplayMixin, models.Model):
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("host cluster"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.NETWORKING
    )
    format = models.CharField(
        _("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    room = models.ForeignKey(
        "rooms.Room",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("room"),
    )
    # The room's booking made for this event (services.rooms rules apply to it).
    room_booking = models.OneToOneField(
        "rooms.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="for_event",
        verbose_name=_("room booking"),
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Where the event takes place when it does not use one of the cluster's rooms."),
    )
    online_link = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to confirmed registrants."),
    )
    capacity = models.PositiveIntegerField(_("in-person seats"), default=0)
    online_capacity = models.PositiveIntegerField(_("online seats"), default=0)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    waitlist_enabled = models.BooleanField(_("waitlist"), default=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.CLUSTER
    )
    topics = models.ManyToManyField(
        "clusters.Topic", blank=True, related_name="events", verbose_name=_("topics")
    )
    description = models.TextField(_("description"), blank=True)
    # Re-encoded on upload (events/uploads.py): no metadata, nothing of the original bytes.
    cover = models.ImageField(_("cover image"), upload_to="event-covers/", blank=True)
    cover_alt = models.CharField(
        _("cover description"),
        max_length=200,
        blank=True,
        help_text=_("What the cover image shows, for people who cannot see it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    reminder_offsets = models.JSONField(
        _("reminders (minutes before the start)"), default=default_reminder_offsets, blank=True
    )
    # iCalendar SEQUENCE: raised each time the time or place of a published event changes.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "start"], name="event_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="event_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.slug])

    @property
    def has_in_person_seats(self) -> bool:
        return self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)

    @property
    def has_online_seats(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    def seat_types(self) -> list[str]:
        types = []
        if self.has_in_person_seats:
            types.append(SeatType.IN_PERSON)
        if self.has_online_seats:
            types.append(SeatType.ONLINE)
        return types

    def capacity_for(self, seat_type: str) -> int:
        return self.online_capacity if seat_type == SeatType.ONLINE else self.capacity

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.end <= timezone.now()

    @property
    def closes_at(self):
        return self.registration_closes or self.start

    def registration_open_now(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != EventStatus.PUBLISHED:
            return False
        if self.registration_opens and now < self.registration_opens:
            return False
        return now < self.closes_at

    @property
    def place(self) -> str:
        """Where it happens, as people read it (never the online link)."""
        room = getattr(self, "room", None)
        if room is not None:
            return ", ".join(filter(None, [room.name, room.location]))
        return self.address

    def reminder_due_times(self) -> list[tuple[int, object]]:
        return [(m, self.start - timedelta(minutes=m)) for m in self.reminder_offsets or []]


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=RegistrationStatus.WAITLISTED)

    def waitlist_place(self, registration: "Registration") -> int:
        """1-based place of a waitlisted `registration` among those waiting for the
        same seat type (first come, first served)."""
        return (
            self.waitlisted()
            .filter(
                event_id=registration.event_id,
                seat_type=registration.seat_type,
                id__lte=registration.id,
            )
            .count()
        )


class Registration(ChoiceDisplayMixin, models.Model):
    """A person's seat (or place on the waitlist) at an event.

    The waitlist is ordered by id: registrations are created while the event row
    is locked, so id order is the order in which people asked.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    seat_type = models.CharField(
        _("seat"), max_length=10, choices=SeatType.choices, default=SeatType.IN_PERSON
    )
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    created = models.DateTimeField(_("registered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_user",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status", "seat_type"], name="registration_event_status")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def waitlist_position(self) -> int | None:
        """1-based place on the waitlist (None unless waitlisted). Uses the
        `position` annotation of selectors.with_waitlist_position when present."""
        if self.status != RegistrationStatus.WAITLISTED:
            return None
        if hasattr(self, "position"):
            return self.position
        return Registration.objects.waitlist_place(self)


class ReminderDelivery(ChoiceDisplayMixin, models.Model):
    """One reminder (registration x offset), claimed before it is sent.

    The unique constraint is what makes a reminder go out once: two runs cannot
    both insert the row, and only the holder of the claim token may mark it sent.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    offset_minutes = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    # Not indexed on purpose (nor is status): marking a row sent then changes no
    # indexed column, so PostgreSQL can update it in place (HOT). Rows are always
    # looked up through the (registration, offset) unique index.
    claim_token = models.CharField(max_length=64)
    # "host:pid" of the process that holds the claim (crash recovery checks it).
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "offset_minutes"], name="reminder_once_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} −{self.offset_minutes} min ({self.status})"
