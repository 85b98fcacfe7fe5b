"""The network: clusters, the topics organisations are found by, organisations and
their memberships of clusters."""

import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin

from .. import codes
from ..enums import MembershipStatus, OrganisationKind, SizeBand, TopicGroup, Visibility
from ..reference import topic_name

HEX_COLOUR = r"^#[0-9a-f]{6}$"

COUNTRY_TIME_ZONES = {
    "AT": "Europe/Vienna",
    "BE": "Europe/Brussels",
    "EE": "Europe/Tallinn",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "DE": "Europe/Berlin",
    "IT": "Europe/Rome",
    "LT": "Europe/Vilnius",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "ES": "Europe/Madrid",
}


class Cluster(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    short_code = models.CharField(
        _("short code"),
        max_length=codes.MAX_LENGTH,
        unique=True,
        blank=True,
        validators=[RegexValidator(codes.PATTERN, _("Use 2 to 12 capital letters or digits."))],
        help_text=_(
            "2 to 12 capital letters or digits, used in request references such as "
            "REQ-GENO-131. Left empty, it is made from the slug."
        ),
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    region = models.CharField(_("region"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    focus = models.TextField(_("focus"), blank=True)
    description = models.TextField(_("description"), blank=True)
    innovation_group = models.CharField(
        _("Regional Innovation Scoreboard 2019 group"), max_length=40, blank=True
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    # Working days to answer a counselling request, by urgency.
    due_days_normal = models.PositiveSmallIntegerField(_("days to answer, normal"), default=10)
    due_days_high = models.PositiveSmallIntegerField(_("days to answer, high"), default=5)
    due_days_urgent = models.PositiveSmallIntegerField(_("days to answer, urgent"), default=2)
    # Branding (clusters/branding.py): shown on the cluster's pages and in its emails.
    logo = models.ImageField(_("logo"), upload_to="cluster-logos/", blank=True)
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(HEX_COLOUR, _("Use the form #rrggbb."))],
    )
    brand_updated = models.DateTimeField(_("branding updated"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        if not self.short_code:
            taken = set(Cluster.objects.exclude(pk=self.pk).values_list("short_code", flat=True))
            self.short_code = codes.derive_short_code(self.slug, taken)
        super().save(*args, **kwargs)

    def clean(self):
        """The admin checks the accent's contrast as the cluster edit page does."""
        from ..branding import accent_problem  # branding imports this module

        super().clean()
        if self.accent_colour and re.match(HEX_COLOUR, self.accent_colour):
            problem = accent_problem(self.accent_colour)
            if problem:
                raise ValidationError({"accent_colour": problem})

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def website_url(self) -> str:
        if not self.website:
            return ""
        return self.website if "://" in self.website else f"https://{self.website}"


class Topic(ChoiceDisplayMixin, models.Model):
    """The curated expertise taxonomy; managed in the admin only."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=TopicGroup.choices)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (clusters/reference.py)."""
        return topic_name(self.name)


class TopicAlias(ChoiceDisplayMixin, models.Model):
    """Another name of a curated topic in one of the portal's languages: a needs or
    offers text that holds it counts as that topic in partner matching. Adds to the
    curated table kept in the repository (clusters/data/topic_aliases.csv)."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("topic")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    alias = models.CharField(_("alias"), max_length=120)

    class Meta:
        ordering = ["topic", "language", "alias"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language", "alias"], name="clusters_topic_alias_unique"
            )
        ]
        verbose_name = _("topic alias")
        verbose_name_plural = _("topic aliases")

    def __str__(self) -> str:
        return f"{self.alias} ({self.language})"


class Organisation(ChoiceDisplayMixin, models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    size = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="experts", verbose_name=_("expertise topics")
    )
    offers = models.TextField(_("what we offer"), blank=True)
    offer_topics = models.ManyToManyField(
        Topic, blank=True, related_name="offered_by", verbose_name=_("topics we offer")
    )
    needs = models.TextField(_("what we need"), blank=True)
    need_topics = models.ManyToManyField(
        Topic, blank=True, related_name="needed_by", verbose_name=_("topics we need")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK
    )
    clusters = models.ManyToManyField(
        Cluster, through="Membership", related_name="organisations", verbose_name=_("clusters")
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Maintained by a database trigger on PostgreSQL (migration 0004), GIN-indexed,
    # used by the directory's full-text search; always empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            # Directory: name order with early LIMIT, and the selective filters.
            models.Index(fields=["name", "id"], name="organisation_name_id"),
            models.Index(fields=["country"], name="organisation_country"),
            models.Index(fields=["kind"], name="organisation_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(ChoiceDisplayMixin, models.Model):
    """An organisation in a cluster; a pending row is an application to join."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    since = models.DateField(_("member since"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    message = models.TextField(_("message to the cluster"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cluster"], name="membership_unique_org_cluster"
            )
        ]
        indexes = [
            # Directory visibility checks ("active somewhere", "active in these
            # clusters") as index-only lookups.
            models.Index(
                fields=["organisation", "cluster"],
                condition=Q(status="active"),
                name="membership_active_org",
            ),
            models.Index(
                fields=["cluster", "organisation"],
                condition=Q(status="active"),
                name="membership_active_cluster",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.cluster} ({self.status})"
