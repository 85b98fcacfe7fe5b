from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSiteConfig(AppConfig):
    """The composition layer: the pages and figures that gather every app (dashboards,
    insights, the calendar feed, the personal-data archive). It holds no models."""

    name = "portal"
    label = "portal_site"
    verbose_name = _("Portal pages")

    def ready(self):
        from django.core import checks

        from .dashboards.figure_cache import connect_signals
        from .privacy import check_privacy_modules

        connect_signals()
        checks.register(check_privacy_modules)
