"""Counselling requests: a member's request to their cluster, its workflow moves
(the audit trail), its conversation and files, and the managers' digest bookkeeping.
The catalogue they refer to (categories, offerings) is services.catalogue."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin

from .enums import OPEN_STATUSES, OVERDUE_STATUSES, PreferredFormat, RequestStatus, Urgency


def request_reference(cluster, number: int) -> str:
    """``REQ-GENO-131``: the cluster's short code and the request's number in it."""
    return f"REQ-{cluster.short_code}-{number}"


class CounsellingRequest(ChoiceDisplayMixin, models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    number = models.PositiveIntegerField(_("number in the cluster"), editable=False)
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.PROTECT,
        related_name="counselling_requests",
        verbose_name=_("cluster"),
    )
    requester_organisation = models.ForeignKey(
        "clusters.Organisation",
        on_delete=models.CASCADE,
        related_name="counselling_requests",
        verbose_name=_("organisation"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="counselling_requests",
        verbose_name=_("requested by"),
    )
    offering = models.ForeignKey(
        "catalogue.ServiceOffering",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        verbose_name=_("service"),
    )
    category = models.ForeignKey(
        "catalogue.ServiceCategory",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("category"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    details = models.TextField(_("details"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    preferred_format = models.CharField(
        _("preferred format"),
        max_length=10,
        choices=PreferredFormat.choices,
        default=PreferredFormat.ONLINE,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
        verbose_name=_("advisor"),
    )
    due_date = models.DateField(_("due date"))
    outcome = models.TextField(_("outcome"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("comment on the help"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created = models.DateTimeField(_("submitted"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("counselling request")
        verbose_name_plural = _("counselling requests")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "number"], name="request_unique_number"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="request_satisfaction_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "status"], name="request_cluster_status"),
            models.Index(fields=["requester_organisation", "-created"], name="request_org"),
            models.Index(fields=["assignee", "status"], name="request_assignee"),
            # Dashboards: a cluster's requests in a period, grouped by category.
            models.Index(fields=["cluster", "created", "category"], name="request_cluster_created"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.now().astimezone(self.cluster.tzinfo).date()
        return self.status in OVERDUE_STATUSES and self.due_date < today

    @property
    def response_time(self):
        return self.first_response_at - self.created if self.first_response_at else None

    @property
    def resolution_time(self):
        return self.resolved_at - self.created if self.resolved_at else None


class RequestTransition(ChoiceDisplayMixin, models.Model):
    """One move of a request through the workflow: the audit trail."""

    request = models.ForeignKey(
        CounsellingRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    move = models.CharField(_("move"), max_length=20)
    from_status = models.CharField(
        _("from"), max_length=12, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=RequestStatus.choices)
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("request transition")
        verbose_name_plural = _("request transitions")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '-'} → {self.to_status}"


class RequestMessage(models.Model):
    request = models.ForeignKey(
        CounsellingRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Seen by cluster staff only.")
    )
    created = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


class RequestAttachment(models.Model):
    """A file on a request (or one of its messages), in the private storage."""

    request = models.ForeignKey(
        CounsellingRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        RequestMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def internal(self) -> bool:
        return bool(self.message_id and self.message.internal)


class DigestDelivery(models.Model):
    """Claimed before a manager's daily digest is sent: never two on one day."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    created = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    request_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["manager", "date"], name="digest_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.manager_id} {self.date}"
