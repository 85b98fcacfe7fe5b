"""The one layout of every email the portal sends: an HTML part (table-based,
600 px at most, fluid below, inline CSS since mail clients drop stylesheets and
CSP does not apply to mail) and a plain-text part, from
templates/portal/email/notification.html and .txt.

An email that belongs to a cluster carries the cluster's logo and accent colour:
the sender names the cluster (`notify(..., cluster=...)`), and a snapshot of its
branding is kept with the notification (`Notification.email_brand`) so a retried
send looks like the first. Without one, the portal's own name and colour are used.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Protocol

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language

from .notifications import render_plain
from .site import site_name

PORTAL_ACCENT = "#0b5d57"  # --accent in static/css/portal.css


class Branded(Protocol):
    """What the layout reads of a cluster (clusters.Cluster has these)."""

    name: str
    accent_colour: str
    logo: object  # a FieldFile, falsy when empty


@dataclass(frozen=True)
class EmailBrand:
    name: str
    logo_url: str = ""
    accent: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def brand_snapshot(cluster: Branded | None) -> dict:
    """The branding to keep with a notification: {} for the portal's own."""
    if cluster is None:
        return {}
    logo_url = ""
    if cluster.logo:
        url = cluster.logo.url  # type: ignore[attr-defined]
        logo_url = url if "://" in url else settings.SITE_URL.rstrip("/") + url
    return EmailBrand(cluster.name, logo_url, cluster.accent_colour).as_dict()


def layout_context(brand: dict | None) -> dict:
    brand = brand or {}
    return {
        "site_url": settings.SITE_URL,
        "brand_name": brand.get("name") or site_name(),
        "brand_logo_url": brand.get("logo_url", ""),
        "brand_accent": brand.get("accent") or PORTAL_ACCENT,
        "portal_name": site_name(),
    }


def render_email(
    *, recipient, subject: str, body: str, url: str = "", brand: dict | None = None
) -> tuple[str, str]:
    """(text, html) of one email; call it inside the recipient's language."""
    ctx = {
        **layout_context(brand),
        "language": getattr(recipient, "language", "") or get_language() or "en",
        "notification": {"subject": subject, "body": body, "url": url},
        "recipient": recipient,
    }
    return (
        render_plain("portal/email/notification.txt", ctx),
        render_to_string("portal/email/notification.html", ctx),
    )
