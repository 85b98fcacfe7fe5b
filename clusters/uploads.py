"""Logo uploads: checked by content, never trusted by name or declared type.

A logo must be a PNG, JPEG, GIF or WebP image of at most 2 MB and at most
40 megapixels. It is decoded with Pillow, orientation applied, scaled down to
fit 800x800 and re-encoded (PNG when it has transparency, JPEG otherwise):
what is stored is a fresh image with no EXIF, GPS, comments or other metadata,
and nothing of the original bytes.
"""

from __future__ import annotations

import io
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 800
ALLOWED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def process_logo(upload, *, name_hint: str = "logo") -> ContentFile:
    """Validate an uploaded logo and return a clean re-encoded copy to store."""
    if upload.size > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo must be at most 2 MB."), code="too_large")
    data = upload.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo must be at most 2 MB."), code="too_large")
    invalid = ValidationError(
        _("Upload an image (PNG, JPEG, GIF or WebP); this file is not one."), code="not_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise invalid
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The logo is too large in pixels."), code="too_many_pixels")
            probe.verify()  # structure check; the image must be reopened afterwards
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The logo is too large in pixels."), code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise invalid from exc

    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
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
    filename = f"{slugify(name_hint)[:60] or 'logo'}-{secrets.token_hex(4)}.{ext}"
    return ContentFile(out.getvalue(), name=filename)
