"""Payments on invoices: by hand, from a bank statement (statements.py) or from an
online payment provider (the `PaymentProvider` protocol below), all through `book()`.

- A partial payment leaves the invoice "partly paid" with its open amount.
- An overpayment is never booked silently: unless the caller says what to do with the
  rest (keep it as credit on the organisation's account, or refund it), `book()`
  raises an ActionError asking. The rest is then an `Overpayment` row.
- The invoice's status is the only field that changes (issued -> partly paid -> paid);
  a fee invoice for a membership term, once paid, extends the membership to that term.
- A waiver settles the open amount with a credit note (status "credited"), audited.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.base.audit import audit
from portal.base.enums import AuditAction
from portal.base.errors import ActionError

from .enums import FeeMembershipStatus, InvoiceStatus, OverpaymentHandling, PaymentSource
from .models import CreditNote, Invoice, Membership, Overpayment, Payment

OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PART_PAID)


def money(cents: int) -> str:
    """1234567 -> "12345.67" (the amounts in messages; templates localise their own)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def require_manager(actor, cluster) -> None:
    """Money and memberships of a cluster are its managers' (or a network admin's)."""
    if actor is None or not actor.has_perm("clusters.manage_cluster", cluster):
        raise PermissionDenied


def paid_cents(invoice: Invoice) -> int:
    return invoice.payments.aggregate(total=Sum("amount_cents"))["total"] or 0


def open_cents(invoice: Invoice) -> int:
    """What is still to pay: the total less payments and credit notes."""
    credited = invoice.credit_notes.aggregate(total=Sum("gross_cents"))["total"] or 0
    return invoice.gross_cents - paid_cents(invoice) - credited


def _extend_membership(invoice: Invoice) -> None:
    """A settled fee invoice for a term extends its membership to that term (and brings
    a lapsed membership back)."""
    if invoice.membership_id is None or invoice.period_end is None:
        return
    membership = Membership.objects.select_for_update().get(pk=invoice.membership_id)
    fields = []
    if membership.term_end < invoice.period_end:
        membership.term_end = invoice.period_end
        fields.append("term_end")
    if membership.status == FeeMembershipStatus.LAPSED:
        membership.status = FeeMembershipStatus.ACTIVE
        fields.append("status")
    if fields:
        membership.save(update_fields=fields)


def _set_status(invoice: Invoice, status: str) -> None:
    if invoice.status != status:
        invoice.status = status
        invoice.save(update_fields=["status"])


def book(
    *,
    invoice: Invoice,
    amount_cents: int,
    booked_on: datetime.date,
    reference: str = "",
    note: str = "",
    source: str = PaymentSource.MANUAL,
    import_key: str = "",
    actor=None,
    overpayment: str | None = None,
) -> Payment:
    """Book money received for `invoice`, which the caller has locked
    (`select_for_update`) inside its transaction. See the module docstring."""
    if amount_cents <= 0:
        raise ActionError(_("A payment must be more than zero."), field="amount")
    if invoice.status not in OPEN_STATUSES:
        raise ActionError(
            _("Invoice %(number)s is %(status)s: it takes no more payments.")
            % {"number": invoice.number, "status": invoice.get_status_display()}
        )
    if overpayment not in (None, *OverpaymentHandling.values):
        raise ActionError(_("Unknown choice for the rest of the payment."), field="overpayment")
    due = open_cents(invoice)
    rest = amount_cents - due
    if rest > 0 and overpayment is None:
        raise ActionError(
            _(
                "%(amount)s is %(rest)s more than the %(open)s still open on invoice "
                "%(number)s. Choose what to do with the rest: keep it as credit on the "
                "organisation's account, or refund it."
            )
            % {
                "amount": money(amount_cents),
                "rest": money(rest),
                "open": money(due),
                "number": invoice.number,
            },
            field="overpayment",
        )
    payment = Payment.objects.create(
        invoice=invoice,
        cluster_id=invoice.cluster_id,
        amount_cents=min(amount_cents, due),
        booked_on=booked_on,
        reference=reference[:140],
        note=note[:300],
        source=source,
        import_key=import_key,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if rest > 0:
        assert overpayment is not None  # noqa: S101 - checked above
        Overpayment.objects.create(
            payment=payment,
            cluster_id=invoice.cluster_id,
            organisation_id=invoice.organisation_id,
            amount_cents=rest,
            handling=overpayment,
        )
    if rest >= 0:
        _set_status(invoice, InvoiceStatus.PAID)
        _extend_membership(invoice)
    else:
        _set_status(invoice, InvoiceStatus.PART_PAID)
    return payment


def payment_record(
    *,
    actor,
    invoice_id: int,
    amount_cents: int,
    booked_on: datetime.date,
    reference: str = "",
    note: str = "",
    overpayment: str | None = None,
) -> Payment:
    """A manager records a payment by hand (a cheque, a transfer seen in the bank)."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("cluster").get(pk=invoice_id)
        require_manager(actor, invoice.cluster)
        return book(
            invoice=invoice,
            amount_cents=amount_cents,
            booked_on=booked_on,
            reference=reference,
            note=note,
            actor=actor,
            overpayment=overpayment,
        )


def invoice_waive(*, actor, invoice_id: int, reason: str, on: datetime.date) -> CreditNote:
    """Waive what is still open on an invoice: a credit note for the open amount settles
    it ("credited"), a fee invoice's membership runs on as if paid; audited."""
    reason = reason.strip()
    if not reason:
        raise ActionError(_("Give the reason for waiving the fee."), field="reason")
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("cluster").get(pk=invoice_id)
        require_manager(actor, invoice.cluster)
        if invoice.status not in OPEN_STATUSES:
            raise ActionError(
                _("Invoice %(number)s is %(status)s: there is nothing to waive.")
                % {"number": invoice.number, "status": invoice.get_status_display()}
            )
        gross = open_cents(invoice)
        # The VAT share of the open amount, in the invoice's own proportion.
        vat = 0
        if invoice.gross_cents:
            vat = (2 * gross * invoice.vat_cents + invoice.gross_cents) // (2 * invoice.gross_cents)
        # Numbered per invoice (<invoice number>-CN<n>) under the invoice's row lock.
        count = invoice.credit_notes.count() + 1
        note = CreditNote.objects.create(
            invoice=invoice,
            number=f"{invoice.number}-CN{count}",
            issue_date=on,
            reason=reason[:300],
            net_cents=gross - vat,
            vat_cents=vat,
            gross_cents=gross,
        )
        _set_status(invoice, InvoiceStatus.CREDITED)
        _extend_membership(invoice)
        audit(
            actor,
            AuditAction.CHANGE,
            invoice,
            cluster_id=invoice.cluster_id,
            detail=f"waived {money(gross)} ({note.number}): {reason}"[:500],
        )
    return note


class PaymentProvider(Protocol):
    """Where an online payment provider (card, SEPA direct debit, ...) plugs in; none is
    implemented. A provider module starts a checkout for an invoice's open amount and,
    when the provider confirms (webhook or return page, verified by the provider's
    signature), calls `provider_payment_confirmed()` with the provider's own payment id:
    the id is the payment's import key, so a webhook delivered twice books once."""

    name: str

    def checkout_url(self, *, invoice: Invoice, amount_cents: int, return_url: str) -> str: ...


def provider_payment_confirmed(
    *,
    provider: str,
    provider_payment_id: str,
    invoice_id: int,
    amount_cents: int,
    booked_on: datetime.date,
) -> Payment:
    """Book a payment a provider confirmed; confirming the same payment again returns
    the payment booked the first time. An overpayment is kept as credit (the payer
    chose the amount online; a manager can refund it)."""
    key = f"{provider}:{provider_payment_id}"
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        known = Payment.objects.filter(cluster_id=invoice.cluster_id, import_key=key).first()
        if known is not None:
            return known
        return book(
            invoice=invoice,
            amount_cents=amount_cents,
            booked_on=booked_on,
            reference=provider_payment_id,
            source=PaymentSource.PROVIDER,
            import_key=key,
            overpayment=OverpaymentHandling.CREDIT,
        )
