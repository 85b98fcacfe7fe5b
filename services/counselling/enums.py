"""Choices of counselling requests and the status groups the workflow and dashboards use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class PreferredFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for member")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.TRIAGED,
    RequestStatus.ASSIGNED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.WAITING,
)
# Open and on the cluster's side: these can be overdue (waiting for the member cannot).
OVERDUE_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.TRIAGED,
    RequestStatus.ASSIGNED,
    RequestStatus.IN_PROGRESS,
)
