"""The archived PDF of an issued invoice: rendered once, while the invoice is issued, kept
in `Invoice.pdf` with its SHA-256 in `Invoice.pdf_sha256`, and never replaced.

The bytes are written by the same UPDATE that issues the invoice (`invoice_issue` calls
`invoice_attach_pdf` just before saving): after that, `Invoice.save()` and, on
PostgreSQL, the trigger of migration 0002 refuse any change but the status, so no later
render can replace them. A download serves `invoice_archived_pdf`, the stored bytes after
checking them against their hash.
"""

from __future__ import annotations

import hashlib

from portal.base.errors import ActionError

from .enums import InvoiceStatus
from .models import Invoice
from .pdf import render_invoice_pdf


class ArchivedPdfMismatch(Exception):
    """The stored bytes no longer match the SHA-256 recorded when they were archived."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def invoice_attach_pdf(invoice: Invoice) -> None:
    """Render the invoice being issued (number, dates, totals already set, lines saved)
    and put the bytes and their hash on it, unsaved; an invoice that has its PDF keeps
    it."""
    if invoice.pdf:
        return
    data = render_invoice_pdf(invoice)
    invoice.pdf = data
    invoice.pdf_sha256 = sha256_hex(data)


def invoice_archived_pdf(invoice: Invoice) -> bytes:
    """The PDF as archived at issue, byte for byte."""
    if invoice.status == InvoiceStatus.DRAFT or not invoice.pdf:
        raise ActionError("This invoice has no PDF: it is not issued yet.")
    data = bytes(invoice.pdf)
    if sha256_hex(data) != invoice.pdf_sha256:
        raise ArchivedPdfMismatch(f"The archived PDF of invoice {invoice.number} was altered.")
    return data


def invoice_pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"
