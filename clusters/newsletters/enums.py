from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentTopic(models.TextChoices):
    NEWS = "news", _("News and announcements")
    EVENTS = "events", _("Events")
    OPPORTUNITIES = "opportunities", _("Opportunities and calls")
    FEES = "fees", _("Membership fees")


class MailingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ConsentOrigin(models.TextChoices):
    PAGE = "page", _("Email preferences page")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
    IMPORT = "import", _("Import")
    DEFAULT = "default", _("Cluster default")
