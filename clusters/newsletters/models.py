"""Audiences, mailings and their deliveries, and each person's consent per cluster and
topic with its audit trail (docs/newsletters.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster

from .criteria import validate_criteria
from .enums import ConsentOrigin, ConsentTopic, DeliveryStatus, MailingStatus


class Audience(models.Model):
    """Who a mailing goes to: the people of member organisations of these clusters that
    match the criteria. Evaluated when the mailing is sent, not when it is saved."""

    owner = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="audiences", verbose_name=_("cluster")
    )
    name = models.CharField(_("name"), max_length=200)
    clusters = models.ManyToManyField(Cluster, related_name="+", verbose_name=_("clusters"))
    criteria = models.JSONField(
        _("criteria"), default=dict, blank=True, validators=[validate_criteria]
    )
    saved = models.BooleanField(
        _("saved for reuse"), default=False, help_text=_("Offered again in the next mailing.")
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["owner", "name"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class Mailing(models.Model):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("cluster")
    )
    audience = models.ForeignKey(
        Audience,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailings",
        verbose_name=_("audience"),
    )
    topic = models.CharField(
        _("topic"), max_length=20, choices=ConsentTopic.choices, default=ConsentTopic.NEWS
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the text below; readers of other languages get it too."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(
        _("preheader"),
        max_length=200,
        blank=True,
        help_text=_("The line mail programs show after the subject."),
    )
    body_markdown = models.TextField(_("text (Markdown)"))
    status = models.CharField(
        _("status"), max_length=10, choices=MailingStatus.choices, default=MailingStatus.DRAFT
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False),
                name="newsletters_mailing_scheduled_has_time",
            )
        ]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="mailing_due")]

    def __str__(self) -> str:
        return self.subject

    def version_for(self, language: str):
        """The text in this language: its version, else the mailing's own text."""
        if language != self.language:
            for version in self.versions.all():
                if version.language == language:
                    return version
        return self


class MailingVersion(models.Model):
    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(_("preheader"), max_length=200, blank=True)
    body_markdown = models.TextField(_("text (Markdown)"))

    class Meta:
        ordering = ["mailing", "language"]
        verbose_name = _("mailing translation")
        verbose_name_plural = _("mailing translations")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "language"], name="newsletters_version_unique_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.language})"


class Delivery(models.Model):
    """One mailing to one person: created at send time, sent exactly once. While a
    worker sends it the row carries that worker's claim (token, identity, time)."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailing_deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claim_token = models.CharField(max_length=32, blank=True, default="")
    claimed_by = models.CharField(max_length=200, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "person"], name="newsletters_delivery_once_per_person"
            )
        ]
        indexes = [
            models.Index(
                fields=["mailing", "id"], condition=Q(status="pending"), name="delivery_pending"
            ),
            # The rate limit counts what went out in the last minute.
            models.Index(fields=["sent_at"], condition=Q(status="sent"), name="delivery_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.mailing} → {self.person}"


class ConsentDefault(models.Model):
    """A cluster's default for a topic: what counts for a person who never chose.
    Without a row the default is no (nothing is sent without a yes)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=20, choices=ConsentTopic.choices)
    subscribed = models.BooleanField(_("subscribed unless they choose otherwise"))

    class Meta:
        verbose_name = _("consent default")
        verbose_name_plural = _("consent defaults")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "topic"], name="newsletters_default_unique_topic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.topic} = {self.subscribed}"


class ConsentChoice(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_choices"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=20, choices=ConsentTopic.choices)
    subscribed = models.BooleanField(_("subscribed"))
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("consent choice")
        verbose_name_plural = _("consent choices")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cluster", "topic"], name="newsletters_choice_unique_topic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.cluster} / {self.topic}: {self.subscribed}"


class ConsentChange(models.Model):
    """The audit trail of consent: every change, where it came from, never edited."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_changes"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=20, choices=ConsentTopic.choices)
    old = models.BooleanField(_("before"), null=True)
    new = models.BooleanField(_("after"))
    time = models.DateTimeField(_("time"), default=timezone.now)
    origin = models.CharField(_("origin"), max_length=12, choices=ConsentOrigin.choices)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")

    def __str__(self) -> str:
        return f"{self.person} {self.topic}: {self.old} → {self.new} ({self.origin})"
