"""Introduction requests between organisations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin

from ..enums import IntroductionStatus
from .network import Organisation


class IntroductionRequest(ChoiceDisplayMixin, models.Model):
    """A person asks another organisation for an introduction.

    Neither side sees the other's contact person or email until the receiving
    organisation's admin accepts.
    """

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="introductions_sent",
        verbose_name=_("from"),
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="introductions_sent",
        verbose_name=_("from organisation"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="introductions_received",
        verbose_name=_("to organisation"),
    )
    message = models.TextField(_("message"), max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IntroductionStatus.choices,
        default=IntroductionStatus.PENDING,
    )
    created = models.DateTimeField(_("sent"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("introduction request")
        verbose_name_plural = _("introduction requests")
        constraints = [
            models.UniqueConstraint(
                fields=["from_organisation", "to_organisation"],
                condition=Q(status="pending"),
                name="introduction_unique_pending_pair",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="introduction_not_to_self",
            ),
        ]
        indexes = [
            models.Index(fields=["from_user", "created"], name="introduction_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.from_organisation} → {self.to_organisation} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == IntroductionStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == IntroductionStatus.ACCEPTED
