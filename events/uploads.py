"""Event cover uploads: at most 5 MB, re-encoded to fit 1600x1600 (see portal/base/images.py)."""

from django.utils.translation import gettext as _

from portal.base.images import ImageRules, reencode_image

MAX_COVER_BYTES = 5 * 1024 * 1024


def process_cover(upload, *, name_hint: str = "cover"):
    rules = ImageRules(
        max_bytes=MAX_COVER_BYTES,
        max_side=1600,
        too_large=_("The cover image must be at most 5 MB."),
        too_many_pixels=_("The cover image is too large in pixels."),
    )
    return reencode_image(upload, rules, name_hint=name_hint)
