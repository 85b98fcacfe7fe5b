from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalBaseConfig(AppConfig):
    """The shared base. It keeps the label "portal" of the layout before it, so its
    tables (portal_notification, portal_auditentry) and migration history stay."""

    name = "portal.base"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .text_search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="portal.unaccent")
