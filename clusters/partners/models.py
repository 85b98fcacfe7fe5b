"""Stored partner suggestions and dismissals.

Suggestions are computed by Celery (see clusters.partners.actions) and only read
by pages. A row whose ``rank`` is null is no longer in the organisation's current
list; it is kept because it was shown once (``first_shown_at``), so the cluster
report can still count it and see whether it turned into an introduction.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Organisation


class PartnerSuggestion(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partner_suggestions",
        verbose_name=_("organisation"),
    )
    suggested = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="suggested_to",
        verbose_name=_("suggested organisation"),
    )
    score = models.FloatField(_("score"))
    rank = models.PositiveSmallIntegerField(
        _("rank"), null=True, blank=True, help_text=_("1 = best; empty = no longer suggested")
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    meets_needs = models.BooleanField(
        _("offers what the organisation needs"), default=False, db_index=True
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    first_shown_at = models.DateTimeField(_("first shown at"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "rank"]
        verbose_name = _("partner suggestion")
        verbose_name_plural = _("partner suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "suggested"], name="partnersuggestion_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(organisation=F("suggested")), name="partnersuggestion_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "rank"], name="partnersuggestion_org_rank"),
            models.Index(fields=["suggested", "rank"], name="partnersuggestion_sugg_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.suggested_id} for {self.organisation_id} (#{self.rank})"

    @property
    def is_current(self) -> bool:
        return self.rank is not None


class SuggestionDismissal(models.Model):
    """An organisation does not want to see another one suggested again."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="suggestion_dismissals",
        verbose_name=_("organisation"),
    )
    suggested = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="dismissed_by",
        verbose_name=_("dismissed organisation"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    created = models.DateTimeField(_("dismissed at"), default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "suggested"], name="suggestiondismissal_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} dismissed {self.suggested_id}"
