from django.db import models
from django.utils.translation import gettext_lazy as _


class AgendaStatus(models.TextChoices):
    UNPUBLISHED = "", _("Not published")
    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
