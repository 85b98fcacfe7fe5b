from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgendaStatus(models.TextChoices):
    UNPUBLISHED = "", _("Not published")
    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")


class MeetingRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("meeting request status", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("meeting request status", "Accepted")
    DECLINED = "declined", pgettext_lazy("meeting request status", "Declined")
    EXPIRED = "expired", pgettext_lazy("meeting request status", "Expired")
    CANCELLED = "cancelled", pgettext_lazy("meeting request status", "Cancelled")


class RunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("schedule run status", "Queued")
    RUNNING = "running", pgettext_lazy("schedule run status", "Running")
    DONE = "done", pgettext_lazy("schedule run status", "Done")
    FAILED = "failed", pgettext_lazy("schedule run status", "Failed")
