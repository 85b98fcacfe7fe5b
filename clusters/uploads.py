"""Logo uploads: at most 2 MB, re-encoded to fit 800x800 (see portal/images.py)."""

from django.utils.translation import gettext as _

from portal.base.images import ImageRules, reencode_image

MAX_LOGO_BYTES = 2 * 1024 * 1024


def process_logo(upload, *, name_hint: str = "logo"):
    rules = ImageRules(
        max_bytes=MAX_LOGO_BYTES,
        max_side=800,
        too_large=_("The logo must be at most 2 MB."),
        too_many_pixels=_("The logo is too large in pixels."),
    )
    return reencode_image(upload, rules, name_hint=name_hint)
