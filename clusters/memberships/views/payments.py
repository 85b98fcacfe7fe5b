"""Recording a payment by hand.

STOP-GAP for the lead: the payments worker builds clusters/memberships/payments.py with
`record_payment`; once it is merged, `payment_record_by_hand` below is to call it (or be
replaced by it in invoices.PaymentRecordView). Until then this thin function does the
booking itself, the only write outside an action module in these views."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.base.audit import audit
from portal.base.errors import ActionError

from ..amounts import cents
from ..enums import InvoiceStatus
from ..models import Invoice, Payment
from ..selectors import OPEN_STATUSES


def payment_record_by_hand(*, actor, invoice, amount: Decimal, booked_on, reference: str):
    if not actor.has_perm("memberships.manage_invoice", invoice):
        raise PermissionDenied
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status not in (*OPEN_STATUSES, InvoiceStatus.PAID):
            raise ActionError(_("Payments are recorded against issued invoices only."))
        payment = Payment.objects.create(
            invoice=invoice,
            cluster_id=invoice.cluster_id,
            amount_cents=cents(amount),
            booked_on=booked_on,
            reference=reference,
        )
        paid = invoice.payments.aggregate(total=Sum("amount_cents"))["total"] or 0
        credited = invoice.credit_notes.aggregate(total=Sum("gross_cents"))["total"] or 0
        if invoice.status in OPEN_STATUSES and paid + credited >= invoice.gross_cents:
            invoice.status = InvoiceStatus.PAID
            invoice.save(update_fields=["status"])
    audit(actor, "change", invoice, cluster_id=invoice.cluster_id, detail="payment by hand")
    return payment
