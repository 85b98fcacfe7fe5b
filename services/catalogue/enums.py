"""Choices of the service catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    SOFT = "soft", _("Soft service (counselling, networking)")
    HARD = "hard", _("Hard service (infrastructure)")


class OfferingTerms(models.TextChoices):
    INCLUDED = "included", _("Included in membership")
    PRICED = "priced", _("Priced")
