from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.core import checks
        from django.db.backends.signals import connection_created

        from .dashboards.cache import connect_signals
        from .privacy import check_privacy_modules
        from .text_search import register_sqlite_functions

        connect_signals()
        checks.register(check_privacy_modules)
        connection_created.connect(register_sqlite_functions, dispatch_uid="portal.unaccent")
