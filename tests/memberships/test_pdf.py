"""Invoice and credit note PDFs: rendered by WeasyPrint, read back with pypdf."""

import datetime
import hashlib
import io
import re

import pypdf
import pytest
from django.db import DatabaseError, connection, transaction
from stdnum import iban as std_iban
from stdnum import iso11649
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from clusters.enums import OrgRole
from clusters.memberships.actions import invoice_issue
from clusters.memberships.archive import (
    ArchivedPdfMismatch,
    invoice_archived_pdf,
    invoice_attach_pdf,
    invoice_pdf_filename,
)
from clusters.memberships.models import (
    ClusterBilling,
    CreditNote,
    ImmutableInvoiceError,
    Invoice,
    InvoiceLine,
)
from clusters.memberships.pdf import StaticOnlyFetcher, render_credit_note_pdf, render_invoice_pdf
from portal.base.errors import ActionError
from tests.factories import OrganisationFactory, UserFactory

DAY = datetime.date(2027, 3, 1)
MENTION = "VAT reverse charge, Article 196 Directive 2006/112/EC"
IBAN = "FR7630006000011234567890189"


def _issue(cluster, *, country, vat_number, lines=((1, 123456), (3, 4550)), language=None):
    ClusterBilling.objects.get_or_create(
        cluster=cluster,
        defaults={
            "legal_name": "Genopole GIP",
            "address": "5 rue Henri Desbruères\n91030 Évry-Courcouronnes",
            "country": "FR",
            "vat_number": "FR40303265045",
            "iban": IBAN,
            "bic": "BNPAFRPP",
        },
    )
    org = OrganisationFactory(country=country)
    if language:
        UserFactory(organisation=org, org_role=OrgRole.ADMIN, language=language)
    invoice = Invoice.objects.create(
        cluster=cluster,
        organisation=org,
        customer_name="Mosa Diagnostics NV",
        customer_address="Rue de la Station 1\n4000 Liège",
        customer_country=country,
        customer_vat_number=vat_number,
    )
    for position, (quantity, unit_cents) in enumerate(lines, start=1):
        InvoiceLine.objects.create(
            invoice=invoice,
            position=position,
            description=f"Membership fee 2027, part {position}",
            quantity=quantity,
            unit_cents=unit_cents,
            net_cents=0,
            vat_cents=0,
        )
    return invoice_issue(invoice_id=invoice.pk, issue_date=DAY)


def _reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def _text(data: bytes) -> str:
    """All pages' text, no-break spaces read as spaces."""
    pages = _reader(data).pages
    return "\n".join(page.extract_text() for page in pages).replace("\u00a0", " ")


def test_reverse_charged_invoice_reads_back(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701")
    assert invoice.vat_treatment == "reverse"
    text = _text(invoice_archived_pdf(invoice))
    lines = text.splitlines()
    assert f"Invoice {invoice.number}" in lines
    assert "VAT number: BE0403170701" in lines
    assert "VAT number: FR40303265045" in lines
    assert "Membership fee 2027, part 1 1 €1,234.56 0% €1,234.56" in lines
    assert "Membership fee 2027, part 2 3 €45.50 0% €136.50" in lines
    assert "Subtotal excl. VAT €1,371.06" in lines
    assert "VAT €0.00" in lines
    assert "Total due €1,371.06" in lines
    assert MENTION in lines
    assert std_iban.format(IBAN) == "FR76 3000 6000 0112 3456 7890 189"
    assert "FR76 3000 6000 0112 3456 7890 189" in lines
    assert "BNPAFRPP" in lines
    assert iso11649.format(invoice.rf_reference) in lines
    assert "Due date" in lines and "31 March 2027" in lines
    assert "Issue date" in lines and "1 March 2027" in lines
    assert f"{invoice.number} Page 1 of 1" in lines


def test_domestic_invoice_reads_back(cluster):
    invoice = _issue(cluster, country="FR", vat_number="FR40303265045")
    assert (invoice.net_cents, invoice.vat_cents, invoice.gross_cents) == (137106, 27421, 164527)
    text = _text(invoice_archived_pdf(invoice))
    lines = text.splitlines()
    assert invoice.number in lines
    assert "Membership fee 2027, part 1 1 €1,234.56 20% €1,234.56" in lines
    assert "Subtotal excl. VAT €1,371.06" in lines
    assert "VAT €274.21" in lines
    assert "Total due €1,645.27" in lines
    assert "Please transfer €1,645.27 by 31 March 2027, quoting the reference below." in lines
    assert iso11649.format(invoice.rf_reference) in lines
    assert "FR76 3000 6000 0112 3456 7890 189" in lines
    assert "reverse charge" not in text


def test_invoice_outside_the_eu_says_so(cluster):
    invoice = _issue(cluster, country="CH", vat_number="")
    lines = _text(invoice_archived_pdf(invoice)).splitlines()
    assert "Outside the scope of EU VAT" in lines
    assert "Total due €1,371.06" in lines
    assert "Switzerland" in lines


def test_invoice_pdf_in_customer_language(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701", language="de")
    text = _text(invoice_archived_pdf(invoice))
    assert "1.371,06 €" in text
    assert "1.234,56 €" in text
    assert "31. März 2027" in text
    assert _reader(bytes(invoice.pdf)).trailer["/Root"]["/Lang"] == "de"


def test_invoice_pdf_embeds_its_fonts(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701")
    fonts = {}
    for page in _reader(invoice_archived_pdf(invoice)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = sorted(
                k for k in descriptor if k.startswith("/FontFile")
            )
    assert fonts, "no font in the PDF"
    for name, files in fonts.items():
        # "ABCDEF+DejaVu-Sans": a subset of DejaVu, its glyphs in the file.
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVu-Sans(-Bold)?", name), name
        assert files == ["/FontFile2"], name
    assert len(fonts) == 2  # regular and bold


def test_long_invoice_numbers_every_page(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701", lines=[(1, 1000)] * 60)
    pages = _reader(invoice_archived_pdf(invoice)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        footer = f"{invoice.number} Page {number} of {len(pages)}"
        assert footer in page.extract_text().splitlines()
        assert "Description Quantity Unit price VAT rate Amount excl. VAT" in page.extract_text()
    assert "Total due €600.00" in pages[-1].extract_text()


def test_archived_pdf_survives_a_second_render(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701")
    archived = bytes(invoice.pdf)
    assert invoice.pdf_sha256 == hashlib.sha256(archived).hexdigest()
    assert invoice_pdf_filename(invoice) == f"{invoice.number}.pdf"

    # Same invoice, language and machine: the same bytes (fixed dates, hashed subset tags).
    assert render_invoice_pdf(invoice) == archived
    rendered_again = render_invoice_pdf(invoice, language="fr")
    assert rendered_again != archived
    invoice_attach_pdf(invoice)  # an archived PDF is kept, never replaced
    assert bytes(invoice.pdf) == archived
    invoice.pdf = rendered_again
    invoice.pdf_sha256 = hashlib.sha256(rendered_again).hexdigest()
    with pytest.raises(ImmutableInvoiceError):
        invoice.save()

    stored = Invoice.objects.get(pk=invoice.pk)
    downloaded = invoice_archived_pdf(stored)
    assert downloaded == archived
    assert hashlib.sha256(downloaded).hexdigest() == stored.pdf_sha256


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_archived_pdf_database_refuses_replacement(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701")
    with pytest.raises(DatabaseError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(pdf=b"%PDF-1.7 other", pdf_sha256="0" * 64)
    assert invoice_archived_pdf(Invoice.objects.get(pk=invoice.pk)) == bytes(invoice.pdf)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL refuses the UPDATE")
def test_archived_pdf_altered_behind_the_model_is_detected(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701")
    Invoice.objects.filter(pk=invoice.pk).update(pdf=b"%PDF-1.7 other")
    with pytest.raises(ArchivedPdfMismatch):
        invoice_archived_pdf(Invoice.objects.get(pk=invoice.pk))


def test_draft_has_no_archived_pdf(cluster):
    draft = Invoice.objects.create(cluster=cluster, organisation=OrganisationFactory())
    with pytest.raises(ActionError):
        invoice_archived_pdf(draft)


def test_credit_note_pdf_names_the_invoice(cluster):
    invoice = _issue(cluster, country="BE", vat_number="BE0403170701")
    note = CreditNote.objects.create(
        invoice=invoice,
        number=f"CN-{invoice.number}",
        issue_date=datetime.date(2027, 4, 2),
        reason="Membership cancelled in March",
        net_cents=137106,
        vat_cents=0,
        gross_cents=137106,
    )
    lines = _text(render_credit_note_pdf(note)).splitlines()
    assert f"Credit note CN-{invoice.number}" in lines
    assert f"This credit note credits invoice {invoice.number} of 1 March 2027." in lines
    assert "Credited invoice" in lines and invoice.number in lines
    assert "Reason: Membership cancelled in March" in lines
    assert "Total credited €1,371.06" in lines
    assert "VAT number: BE0403170701" in lines
    assert MENTION in lines


def test_fetcher_serves_only_static_files():
    fetcher = StaticOnlyFetcher()
    css = fetcher("portal-static:css/memberships-pdf.css")
    assert css.content_type == "text/css"
    assert b"size: A4" in css.read()
    for url in (
        "http://127.0.0.1:9/logo.png",
        "https://example.org/font.woff2",
        "file:///etc/passwd",
        "portal-static:../../etc/passwd",
        "portal-static:css/missing.css",
    ):
        with pytest.raises(ValueError):
            fetcher(url)


def test_render_stops_on_a_remote_resource():
    html = HTML(
        string='<p>x</p><img src="http://127.0.0.1:9/logo.png" alt="">',
        url_fetcher=StaticOnlyFetcher(),
    )
    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()
