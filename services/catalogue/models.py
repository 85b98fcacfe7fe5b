"""The service catalogue: the survey's service categories and the services each
cluster offers its members.

The models moved here from the counselling app (label "services") and keep its
tables: services_servicecategory and services_serviceoffering.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin

from .enums import OfferingTerms, ServiceKind
from .reference import category_name


class ServiceCategory(ChoiceDisplayMixin, models.Model):
    """The survey's service categories, with the importance members gave them (2-4)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=4, choices=ServiceKind.choices)
    importance = models.PositiveSmallIntegerField(_("importance in the 2020-2021 survey"))
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-importance", "name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        db_table = "services_servicecategory"  # the table of the layout before the move
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importance__gte=1, importance__lte=5),
                name="servicecategory_importance_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (services/catalogue/reference.py)."""
        return category_name(self.name)

    @property
    def importance_marks(self) -> str:
        return "+" * self.importance


class ServiceOffering(ChoiceDisplayMixin, models.Model):
    """A service one cluster offers its members, provided by an advisor or a partner."""

    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        related_name="service_offerings",
        verbose_name=_("cluster"),
    )
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    provider_advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provided_offerings",
        verbose_name=_("provided by advisor"),
    )
    provider_organisation = models.ForeignKey(
        "clusters.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provided_offerings",
        verbose_name=_("provided by partner organisation"),
    )
    terms = models.CharField(
        _("terms"), max_length=10, choices=OfferingTerms.choices, default=OfferingTerms.INCLUDED
    )
    price_note = models.CharField(
        _("price"),
        max_length=200,
        blank=True,
        help_text=_("For priced services, e.g. “€90 per hour”."),
    )
    RESPONSE_DAYS_MIN, RESPONSE_DAYS_MAX = 1, 60  # offering_response_days_1_60
    response_days = models.PositiveSmallIntegerField(
        _("expected response time (working days)"), default=5
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["cluster__name", "category__name", "title"]
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        db_table = "services_serviceoffering"
        constraints = [
            models.UniqueConstraint(fields=["cluster", "title"], name="offering_unique_title"),
            models.CheckConstraint(
                condition=~Q(terms="priced") | ~Q(price_note=""),
                name="offering_priced_has_price_note",
            ),
            models.CheckConstraint(
                condition=Q(response_days__gte=1, response_days__lte=60),
                name="offering_response_days_1_60",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def provider(self):
        return self.provider_advisor or self.provider_organisation

    @property
    def terms_display(self) -> str:
        return self.price_note if self.terms == OfferingTerms.PRICED else self.get_terms_display()
