from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.core import checks

        from .dashboards.cache import connect_signals
        from .privacy import check_privacy_modules

        connect_signals()
        checks.register(check_privacy_modules)
