"""The portal's own name and address, from settings (SITE_NAME, SITE_URL).

allauth asks `get_current_site(request)` for the name and domain in its emails;
without django.contrib.sites that is the request's host ("Hello from
127.0.0.1:8000!"). The account adapter hands it this object instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext


@dataclass(frozen=True)
class PortalSite:
    name: str
    domain: str

    def __str__(self) -> str:
        return self.name


def site_name() -> str:
    """SITE_NAME when set, else "Biocluster portal" in the active language."""
    return settings.SITE_NAME or gettext("Biocluster portal")


def current_site() -> PortalSite:
    return PortalSite(name=site_name(), domain=urlsplit(settings.SITE_URL).netloc)
