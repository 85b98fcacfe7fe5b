"""A cluster's branding: its logo and accent colour on its pages and in its emails.

The accent must keep WCAG AA (4.5:1) against white (links, buttons with white text)
and against the page surface; `accent_problem` says why one does not, with the
measured ratio and the nearest darker shade that passes (portal/base/contrast.py).
Pages that belong to a cluster put `brand_context(cluster)` in their context; the
base template then links /clusters/<slug>/brand.css (views/brand.py) and shows the
logo in the header.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.base.contrast import AA_TEXT, accent_tokens, darken_until, worst_ratio

from .models import Cluster


def accent_problem(colour: str) -> str:
    """Empty when `colour` (#rrggbb) passes; else a message for the form field."""
    ratio = worst_ratio(colour)
    if ratio >= AA_TEXT:
        return ""
    suggestion = darken_until(colour)
    return _(
        "This colour has a contrast of only %(ratio).2f:1 against white or the page "
        "background; links and buttons need at least 4.5:1. The nearest darker shade "
        "that passes is %(suggestion)s (%(suggested_ratio).2f:1)."
    ) % {"ratio": ratio, "suggestion": suggestion, "suggested_ratio": worst_ratio(suggestion)}


def brand_context(cluster: Cluster | None) -> dict:
    """What a page of `cluster` adds to its context so base.html shows the branding."""
    return {"brand_cluster": cluster}


def brand_version(cluster: Cluster) -> str:
    """Changes whenever the stylesheet's content changes (ETag, cache-busting query)."""
    return f"{cluster.pk}-{cluster.accent_colour.lstrip('#') or 'default'}"


def brand_css(cluster: Cluster) -> str:
    if not cluster.accent_colour:
        return "/* This cluster uses the portal's colours. */\n"
    tokens = accent_tokens(cluster.accent_colour)
    lines = "".join(f"  --{name}: {value};\n" for name, value in tokens.items())
    return f"/* {cluster.slug} */\n:root {{\n{lines}}}\n"
