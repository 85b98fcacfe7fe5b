from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The service catalogue: the survey's categories and the services each cluster
    offers. Counselling requests point at it; it imports no other services app."""

    name = "services.catalogue"
    label = "catalogue"
    verbose_name = _("Service catalogue")
