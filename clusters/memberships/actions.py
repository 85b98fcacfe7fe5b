"""Writes of the fees app: issuing invoices with gap-free numbers."""

from __future__ import annotations

import datetime

from django.db import transaction

from portal.base.errors import ActionError

from .enums import InvoiceStatus
from .models import Invoice, InvoiceCounter


def _next_sequence(cluster_id: int, year: int) -> int:
    """The next number for the cluster and year. The counter row is locked until the
    issuing transaction ends, so parallel issues queue and a rollback gives the number
    back: no gaps, no duplicates."""
    InvoiceCounter.objects.get_or_create(cluster_id=cluster_id, year=year)
    counter = InvoiceCounter.objects.select_for_update().get(cluster_id=cluster_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def invoice_issue(*, invoice_id: int, issue_date: datetime.date, due_days: int = 30) -> Invoice:
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        if invoice.status != InvoiceStatus.DRAFT:
            raise ActionError("This invoice is already issued.")
        year = issue_date.year
        sequence = _next_sequence(invoice.cluster_id, year)
        invoice.year = year
        invoice.sequence = sequence
        invoice.number = f"{invoice.cluster.slug.upper()[:12]}-{year}-{sequence:05d}"
        invoice.issue_date = issue_date
        invoice.due_date = issue_date + datetime.timedelta(days=due_days)
        invoice.status = InvoiceStatus.ISSUED
        invoice.save()
    return invoice
