from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    """Counselling requests (the catalogue they point at is services.catalogue). The app
    keeps the label "services" of the layout before it, so its tables and migration
    history stay."""

    name = "services.counselling"
    label = "services"
    verbose_name = _("Services")
