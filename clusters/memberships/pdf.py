"""Invoice and credit note PDFs, rendered by WeasyPrint from templates/memberships/pdf/.

- Fonts come from the machine: DejaVu Sans (Debian's fonts-dejavu-core, found through
  fontconfig); WeasyPrint embeds the subset of glyphs it uses, so the file shows the same
  everywhere. The output is PDF/A-3a, the archival profile with tagged structure.
- Nothing is fetched over the network: `StaticOnlyFetcher` serves the app's own static
  files under `portal-static:` and refuses any other URL, stopping the render.
- Amounts, rates and dates are written in the document's language (money.py and the
  locale formats); that language is the customer's first admin's, else the portal's
  default.

Issued invoices are rendered once, when issued, and the bytes are archived (archive.py);
these functions only render.
"""

from __future__ import annotations

import datetime
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext
from stdnum import iban as std_iban
from stdnum import iso11649
from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

from clusters.enums import OrgRole
from clusters.forms.membership import COUNTRY_NAMES

from .models import CreditNote, Invoice
from .money import format_euros, format_rate
from .vat import OUTSIDE_EU_MENTION, REVERSE_CHARGE_MENTION

STATIC_PREFIX = "portal-static:"
PDF_VARIANT = "pdf/a-3a"


class StaticOnlyFetcher(URLFetcher):
    """Serves `portal-static:<path>` from the static files and refuses everything else;
    a refusal stops the render (`fail_on_errors`) instead of leaving a hole."""

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=())

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_PREFIX):
            raise ValueError(f"Only the portal's static files may be fetched, not {url}")
        relative = url.removeprefix(STATIC_PREFIX)
        if ".." in Path(relative).parts:
            raise ValueError(f"Refused path {relative}")
        found = finders.find(relative)
        if not found or isinstance(found, list):
            raise ValueError(f"No static file {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


def document_language(invoice: Invoice) -> str:
    """The language of the customer organisation's first admin, else the portal's."""
    language = (
        invoice.organisation.people.filter(org_role=OrgRole.ADMIN, is_active=True)
        .order_by("pk")
        .values_list("language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_label_css() -> str:
    """`@page` footer "Page 1 of 3" from the translated sentence, counters in place."""
    sentence = gettext("Page %(page)s of %(pages)s")
    marked = sentence % {"page": "\0page\0", "pages": "\0pages\0"}
    parts = []
    for piece in marked.split("\0"):
        if piece in {"page", "pages"}:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    content = " ".join(parts)
    return f"@page {{ @bottom-right {{ content: {content}; }} }}"


def _mention(stored: str) -> str:
    """The VAT mention in the document's language; the stored English text otherwise."""
    translated = {
        REVERSE_CHARGE_MENTION: gettext("VAT reverse charge, Article 196 Directive 2006/112/EC"),
        OUTSIDE_EU_MENTION: gettext("Outside the scope of EU VAT"),
    }
    return translated.get(stored, stored)


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _parties(invoice: Invoice) -> dict:
    def country(code: str) -> str:
        return str(COUNTRY_NAMES.get(code, code))

    return {
        "issuer": {
            "name": invoice.issuer_name,
            "address": invoice.issuer_address,
            "country": country(invoice.issuer_country),
            "vat_number": invoice.issuer_vat_number,
        },
        "customer": {
            "name": invoice.customer_name,
            "address": invoice.customer_address,
            "country": country(invoice.customer_country),
            "vat_number": invoice.customer_vat_number,
        },
    }


def _render(template: str, context: dict, language: str) -> bytes:
    with translation.override(language):
        context = {**context, "language": language, "static": STATIC_PREFIX}
        html = render_to_string(template, context)
        fetcher = StaticOnlyFetcher()
        return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=_page_label_css(), url_fetcher=fetcher)],
            pdf_variant=PDF_VARIANT,
        )


def invoice_context(invoice: Invoice, language: str) -> dict:
    """What the invoice template shows, every amount already written out."""
    with translation.override(language):
        lines = [
            {
                "description": line.description,
                "quantity": formats.number_format(line.quantity, use_l10n=True),
                "unit": format_euros(line.unit_cents, language),
                "rate": format_rate(line.vat_rate, language),
                "net": format_euros(line.net_cents, language),
            }
            for line in invoice.lines.order_by("position")
        ]
        return {
            "invoice": invoice,
            **_parties(invoice),
            "issue_date": _date(invoice.issue_date),
            "due_date": _date(invoice.due_date),
            "created": invoice.issue_date.isoformat() if invoice.issue_date else "",
            "lines": lines,
            "net": format_euros(invoice.net_cents, language),
            "vat": format_euros(invoice.vat_cents, language),
            "gross": format_euros(invoice.gross_cents, language),
            "mention": _mention(invoice.vat_mention),
            "iban": std_iban.format(invoice.iban) if invoice.iban else "",
            "bic": invoice.bic,
            "rf_reference": iso11649.format(invoice.rf_reference) if invoice.rf_reference else "",
        }


def render_invoice_pdf(invoice: Invoice, *, language: str | None = None) -> bytes:
    """The invoice as PDF bytes. For an issued invoice, serve the archived bytes instead
    (archive.invoice_archived_pdf): a new render is not the document that was sent."""
    language = language or document_language(invoice)
    return _render("memberships/pdf/invoice.html", invoice_context(invoice, language), language)


def render_credit_note_pdf(credit_note: CreditNote, *, language: str | None = None) -> bytes:
    """The credit note as PDF bytes, naming the invoice it credits."""
    invoice = credit_note.invoice
    language = language or document_language(invoice)
    with translation.override(language):
        context = {
            "credit_note": credit_note,
            "invoice": invoice,
            **_parties(invoice),
            "issue_date": _date(credit_note.issue_date),
            "invoice_date": _date(invoice.issue_date),
            "created": credit_note.issue_date.isoformat(),
            "net": format_euros(credit_note.net_cents, language),
            "vat": format_euros(credit_note.vat_cents, language),
            "gross": format_euros(credit_note.gross_cents, language),
            "mention": _mention(invoice.vat_mention),
        }
    return _render("memberships/pdf/credit_note.html", context, language)
