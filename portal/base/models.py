from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import AuditAction, EmailStatus

__all__ = ["AuditAction", "AuditEntry", "EmailStatus", "Notification"]


class Notification(models.Model):
    """An in-app notice; also the record of the matching email's delivery."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)
    # The email's attachments ([filename, content, mimetype], e.g. an .ics), kept so a
    # send can be re-queued; and a lease, so two queued copies never send it twice.
    email_attachments = models.JSONField(default=list, blank=True)
    email_lease_until = models.DateTimeField(null=True, blank=True)
    # The branding of the cluster the notice belongs to, when the sender names one
    # (notify(cluster=...)): {"name", "logo_url", "accent"}, see portal/base/email_layout.py.
    email_brand = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return self.subject


class AuditEntry(models.Model):
    """Who viewed or changed which member data (staff actions); read by network admins."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=250)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_label = models.CharField(_("object"), max_length=250)
    cluster_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    detail = models.TextField(_("detail"), blank=True)
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_label}"
