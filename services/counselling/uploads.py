"""Attachments of counselling requests: checked by content, never by name alone.

`validate_attachment(file)` returns `(content_type, ext)` or raises a
ValidationError whose message tells the person what is wrong with which file.

Accepted: PDF, DOCX, XLSX, PPTX, PNG and JPEG, at most 10 MB each.
- The extension of the name must agree with what the bytes are.
- PDF: starts with ``%PDF-`` and has an ``%%EOF`` marker near its end.
- PNG/JPEG: recognised by their magic bytes (`filetype`), decoded by Pillow,
  and nothing but padding may follow the end of the image (a polyglot with
  HTML or script appended is refused).
- DOCX/XLSX/PPTX: a zip whose central directory is checked *before* anything
  is decompressed (total uncompressed size, compression ratio, number of
  entries: zip bombs are refused), then ``[Content_Types].xml`` must declare
  the format's main part and that part must exist (macro-enabled documents
  and other zips are refused).
"""

from __future__ import annotations

import io
import os
import re
import struct
import warnings
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_ENTRIES = 5000
MAX_PIXELS = 80_000_000

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# extension -> (content type, canonical extension)
EXTENSIONS = {
    "pdf": (PDF, "pdf"),
    "png": (PNG, "png"),
    "jpg": (JPEG, "jpg"),
    "jpeg": (JPEG, "jpg"),
    "docx": (DOCX, "docx"),
    "xlsx": (XLSX, "xlsx"),
    "pptx": (PPTX, "pptx"),
}
# Office format -> (main part, the content type [Content_Types].xml must declare for it)
OFFICE_MAIN_PARTS = {
    DOCX: (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX: (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    PPTX: (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"


def _error(name: str, reason: str, code: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”: %(reason)s") % {"name": name, "reason": reason}, code=code
    )


def validate_attachment(file) -> tuple[str, str]:
    """Check an uploaded file by its content; return (content_type, extension)."""
    name = os.path.basename(getattr(file, "name", "") or "file")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EXTENSIONS:
        raise _error(
            name,
            _("this type of file is not accepted. Send a PDF, DOCX, XLSX, PPTX, PNG or JPEG file."),
            "extension",
        )
    if (getattr(file, "size", None) or 0) > MAX_BYTES:
        raise _error(name, _("the file is larger than 10 MB."), "too_large")
    file.seek(0)
    data = file.read(MAX_BYTES + 1)
    file.seek(0)
    if len(data) > MAX_BYTES:
        raise _error(name, _("the file is larger than 10 MB."), "too_large")
    if not data:
        raise _error(name, _("the file is empty."), "empty")

    expected, canonical = EXTENSIONS[ext]
    mismatch = _error(
        name,
        _("the content of the file is not what its name says (%(ext)s).") % {"ext": ext.upper()},
        "content",
    )
    if expected == PDF:
        _check_pdf(data, mismatch)
    elif expected in (PNG, JPEG):
        _check_image(data, expected, name, mismatch)
    else:
        _check_office(data, expected, name, mismatch)
    return expected, canonical


def _check_pdf(data: bytes, mismatch: ValidationError) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise mismatch


def _check_image(data: bytes, expected: str, name: str, mismatch: ValidationError) -> None:
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime != expected:
        raise mismatch
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format != ("PNG" if expected == PNG else "JPEG"):
                raise mismatch
            if image.width * image.height > MAX_PIXELS:
                raise _error(name, _("the image is too large in pixels."), "pixels")
            image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _error(name, _("the image is too large in pixels."), "pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise _error(name, _("the image is damaged and cannot be read."), "damaged") from exc
    end = _png_end(data) if expected == PNG else _jpeg_end(data)
    if end is None:
        raise _error(name, _("the image is damaged and cannot be read."), "damaged")
    if data[end:].strip(b"\x00\r\n\t "):
        raise _error(
            name,
            _("something other than the image follows its end; the file was refused."),
            "trailing",
        )


def _png_end(data: bytes) -> int | None:
    """Offset just after the IEND chunk, walking the chunk structure."""
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        ctype = data[pos + 4 : pos + 8]
        pos += 12 + length
        if ctype == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Offset just after the EOI marker, walking segments and entropy-coded data."""
    if data[:2] != b"\xff\xd8":
        return None
    pos, n = 2, len(data)
    while pos < n:
        if data[pos] != 0xFF:
            return None
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if pos + 2 > n:
            return None
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        pos += length
        if marker == 0xDA:  # start of scan: skip entropy-coded data to the next marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= n:
                    return None
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2
                    continue
                if following == 0xFF:
                    pos += 1
                    continue
                break
    return None


def _check_office(data: bytes, expected: str, name: str, mismatch: ValidationError) -> None:
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ("application/zip", expected):
        raise mismatch
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _error(name, _("the document is damaged and cannot be read."), "damaged") from exc
    bomb = _error(
        name,
        _("the document expands to far more than its size (a “zip bomb”); it was refused."),
        "zip_bomb",
    )
    if len(infos) > MAX_ZIP_ENTRIES:
        raise bomb
    total = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos)
    if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(compressed, 1):
        raise bomb
    for info in infos:
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1_000_000:
            raise bomb
    names = {i.filename for i in infos}
    main_type = OFFICE_MAIN_PARTS[expected][1]
    if "[Content_Types].xml" not in names:
        raise mismatch
    try:
        with archive.open("[Content_Types].xml") as fh:
            content_types = fh.read(1_000_001)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        raise _error(name, _("the document is damaged and cannot be read."), "damaged") from exc
    if len(content_types) > 1_000_000:
        raise mismatch
    # The main part is usually at its conventional path; some tools name it otherwise,
    # so follow the Override that declares the main content type.
    parts = _declared_parts(content_types, main_type)
    if not any(p in names for p in parts):
        raise mismatch


_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b([^>]*)>")
_ATTR = re.compile(rb'(\w+)\s*=\s*"([^"]*)"')


def _declared_parts(content_types: bytes, main_type: str) -> set[str]:
    """Zip member names that [Content_Types].xml declares with `main_type`."""
    found = set()
    for match in _OVERRIDE.finditer(content_types):
        attrs = dict(_ATTR.findall(match.group(1)))
        if attrs.get(b"ContentType", b"").decode("ascii", "replace") == main_type:
            found.add(attrs.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/"))
    return found
