from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    SOFT = "soft", _("Soft service (counselling, networking)")
    HARD = "hard", _("Hard service (infrastructure)")


class ServiceCategory(models.Model):
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importance__gte=1, importance__lte=5),
                name="servicecategory_importance_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def importance_marks(self) -> str:
        return "+" * self.importance
