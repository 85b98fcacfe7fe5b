from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    NETWORKING = "networking", _("Networking")
    BROKERAGE = "brokerage", _("Brokerage")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    CONFERENCE = "conference", _("Conference")
    INFO_DAY = "info_day", _("Info day")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Audience(models.TextChoices):
    CLUSTER = "cluster", _("Members of the host cluster")
    NETWORK = "network", _("Every network member")
    PUBLIC = "public", _("Public")


class EventStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event status", "Draft")
    PUBLISHED = "published", pgettext_lazy("event status", "Published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")


class SeatType(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("registration status", "Confirmed")
    WAITLISTED = "waitlisted", pgettext_lazy("registration status", "Waitlisted")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", pgettext_lazy("reminder status", "Claimed")
    SENT = "sent", pgettext_lazy("reminder status", "Sent")
    SKIPPED = "skipped", pgettext_lazy("reminder status", "Skipped")
