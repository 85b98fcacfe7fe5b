"""Room photos: checked by content and re-encoded with Pillow.

A photo must be a PNG, JPEG, GIF or WebP image of at most 5 MB and 40
megapixels. It is decoded, its orientation applied, scaled to fit 1600x1600
and saved as a fresh JPEG (or PNG when transparent): no metadata and nothing
of the original bytes are kept.
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

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ALLOWED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def process_room_photo(upload, *, name_hint: str = "room") -> ContentFile:
    too_large = ValidationError(_("The photo must be at most 5 MB."), code="too_large")
    if upload.size > MAX_PHOTO_BYTES:
        raise too_large
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise too_large
    invalid = ValidationError(
        _("Upload an image (PNG, JPEG, GIF or WebP); this file is not one."), code="not_image"
    )
    too_many = ValidationError(_("The photo is too large in pixels."), code="too_many_pixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise invalid
            if probe.width * probe.height > MAX_PIXELS:
                raise too_many
            probe.verify()
            image = Image.open(io.BytesIO(data))
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
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    filename = f"{slugify(name_hint)[:60] or 'room'}-{secrets.token_hex(4)}.{ext}"
    return ContentFile(out.getvalue(), name=filename)
