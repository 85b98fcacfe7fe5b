"""Writes of the fees app: issuing invoices with gap-free numbers."""

from __future__ import annotations

import datetime

from django.db import transaction

from portal.base.errors import ActionError

from .archive import invoice_attach_pdf
from .enums import InvoiceStatus
from .models import ClusterBilling, Invoice, InvoiceCounter
from .references import clean_bic, clean_iban, rf_for
from .vat import line_vat_cents, vat_for


def _next_sequence(cluster_id: int, year: int) -> int:
    """The next number for the cluster and year. The counter row is locked until the
    issuing transaction ends, so parallel issues queue and a rollback gives the number
    back: no gaps, no duplicates."""
    InvoiceCounter.objects.get_or_create(cluster_id=cluster_id, year=year)
    counter = InvoiceCounter.objects.select_for_update().get(cluster_id=cluster_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def invoice_issue(*, invoice_id: int, issue_date: datetime.date) -> Invoice:
    """Issue a draft: copy the issuer's details, decide VAT, compute each line's VAT in
    cents, number it, give it its RF reference and archive its PDF; from then on it
    cannot change."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        if invoice.status != InvoiceStatus.DRAFT:
            raise ActionError("This invoice is already issued.")
        billing = ClusterBilling.objects.filter(cluster_id=invoice.cluster_id).first()
        if billing is None:
            raise ActionError("The cluster has no billing details yet.")
        decision = vat_for(
            issuer_country=billing.country,
            customer_country=invoice.customer_country,
            customer_vat=invoice.customer_vat_number,
        )
        lines = list(invoice.lines.all())
        if not lines:
            raise ActionError("An invoice needs at least one line.")
        for line in lines:
            line.vat_rate = decision.rate
            line.net_cents = line.quantity * line.unit_cents
            line.vat_cents = line_vat_cents(line.net_cents, decision.rate)
            line.save(update_fields=["vat_rate", "net_cents", "vat_cents"])
        year = issue_date.year
        sequence = _next_sequence(invoice.cluster_id, year)
        invoice.issuer_name = billing.legal_name
        invoice.issuer_address = billing.address
        invoice.issuer_country = billing.country
        invoice.issuer_vat_number = billing.vat_number
        invoice.iban = clean_iban(billing.iban)
        invoice.bic = clean_bic(billing.bic)
        invoice.vat_treatment = decision.treatment
        invoice.vat_mention = decision.mention
        invoice.net_cents = sum(line.net_cents for line in lines)
        invoice.vat_cents = sum(line.vat_cents for line in lines)
        invoice.gross_cents = invoice.net_cents + invoice.vat_cents
        invoice.year = year
        invoice.sequence = sequence
        invoice.number = f"{invoice.cluster.slug.upper()[:12]}-{year}-{sequence:05d}"
        invoice.rf_reference = rf_for(invoice.cluster_id, year, sequence)
        invoice.issue_date = issue_date
        invoice.due_date = issue_date + datetime.timedelta(days=billing.due_days)
        invoice.status = InvoiceStatus.ISSUED
        # The PDF goes into the same UPDATE: once issued, nothing else may change.
        invoice_attach_pdf(invoice)
        invoice.save()
    return invoice
