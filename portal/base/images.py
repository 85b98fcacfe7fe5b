"""Image uploads (logos, room photos): checked by content, never trusted by name
or declared type, then re-encoded.

The file must be a PNG, JPEG, GIF or WebP image within the size and pixel
limits. It is decoded with Pillow, its orientation applied, scaled to fit and
saved as a fresh JPEG (PNG when transparent): no EXIF, GPS, comments or other
metadata, and nothing of the original bytes, are kept.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


@dataclass(frozen=True)
class ImageRules:
    max_bytes: int
    max_side: int
    too_large: str  # shown when the file is too big, e.g. "The logo must be at most 2 MB."
    too_many_pixels: str


def reencode_image(upload, rules: ImageRules, *, name_hint: str) -> ContentFile:
    """Validate an uploaded image and return a clean re-encoded copy to store."""
    if upload.size > rules.max_bytes:
        raise ValidationError(rules.too_large, code="too_large")
    data = upload.read(rules.max_bytes + 1)
    if len(data) > rules.max_bytes:
        raise ValidationError(rules.too_large, code="too_large")
    invalid = ValidationError(
        _("Upload an image (PNG, JPEG, GIF or WebP); this file is not one."), code="not_image"
    )
    too_many = ValidationError(rules.too_many_pixels, code="too_many_pixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise invalid
            if probe.width * probe.height > MAX_PIXELS:
                raise too_many
            probe.verify()  # structure check; the image must be reopened afterwards
            image: Image.Image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise invalid from exc

    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((rules.max_side, rules.max_side))
    # A new image from the pixels alone: no info dict, so no metadata is carried over.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    filename = f"{slugify(name_hint)[:60] or 'image'}-{secrets.token_hex(4)}.{ext}"
    return ContentFile(out.getvalue(), name=filename)
