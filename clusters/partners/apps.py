from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "clusters.partners"
    label = "partners"
    verbose_name = _("Partner matchmaking")

    def ready(self) -> None:
        from . import signals

        signals.connect()
