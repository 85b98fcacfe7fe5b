from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    """Where a notification's email stands."""

    NONE = "none", pgettext_lazy("email status", "No email")
    QUEUED = "queued", pgettext_lazy("email status", "Queued")
    SENT = "sent", pgettext_lazy("email status", "Sent")
    FAILED = "failed", pgettext_lazy("email status", "Failed")


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CHANGE = "change", _("changed")
    DECIDE = "decide", _("decided")
    DOWNLOAD = "download", _("downloaded a file")
    EXPORT = "export", _("exported")
