from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoomKind(models.TextChoices):
    MEETING = "meeting", _("Meeting room")
    EVENT = "event", _("Event space")
    COWORKING = "coworking", _("Co-working zone")
    PLATFORM = "platform", _("Technology platform")


class Amenity(models.TextChoices):
    VIDEO = "video", _("Video conferencing")
    SCREEN = "screen", _("Screen or projector")
    ACCESSIBLE = "accessible", _("Accessible access")
    CATERING = "catering", _("Catering possible")
    WHITEBOARD = "whiteboard", _("Whiteboard")
    LAB = "lab", _("Lab access")
    WIFI = "wifi", _("Wi-Fi")
    SOUND = "sound", _("Sound system")


class WhoMayBook(models.TextChoices):
    CLUSTER = "cluster", _("Members of this cluster")
    NETWORK = "network", _("Every network member")


class BookingStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("booking status", "Waiting for approval")
    CONFIRMED = "confirmed", pgettext_lazy("booking status", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("booking status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
    EXPIRED = "expired", pgettext_lazy("booking status", "Expired")


# Bookings that hold their time (a pending booking blocks the slot until decided).
ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class Frequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
