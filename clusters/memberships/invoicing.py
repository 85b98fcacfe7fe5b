"""Writes around invoices that are not numbering: preparing a membership's draft, and
credit notes (an issued invoice is never edited; a credit note corrects it)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.base.audit import audit
from portal.base.errors import ActionError

from .enums import InvoiceStatus, TermKind
from .models import CreditNote, Invoice, InvoiceCounter, InvoiceLine, Membership
from .selectors import OPEN_STATUSES, customer_details_for


def term_start(membership: Membership) -> datetime.date:
    """The first day of the term that ends on the membership's term end."""
    end = membership.term_end
    if membership.plan.term_kind == TermKind.CALENDAR_YEAR:
        return datetime.date(end.year, 1, 1)
    try:
        return end.replace(year=end.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return end.replace(year=end.year - 1, day=28) + datetime.timedelta(days=1)


def membership_fee_cents(membership: Membership) -> int:
    """The plan's fee for the organisation's kind and size, pro rata of the days left in
    the term when the plan says so and the membership began during it."""
    org = membership.organisation
    fee = membership.plan.fee_for(org.kind, org.size)
    first = term_start(membership)
    if membership.plan.pro_rata and membership.start > first:
        term_days = (membership.term_end - first).days + 1
        days = (membership.term_end - membership.start).days + 1
        fee = int((Decimal(fee) * days / term_days).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return fee


def invoice_draft_create(*, actor, membership: Membership) -> Invoice:
    """A draft invoice of the membership's current term, with the plan's fee copied onto
    its one line; the manager checks it and issues it (actions.invoice_issue)."""
    cluster = membership.plan.cluster
    if not actor.has_perm("memberships.manage_fees", cluster):
        raise PermissionDenied
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("plan", "organisation")
            .get(pk=membership.pk)
        )
        if membership.invoices.filter(status=InvoiceStatus.DRAFT).exists():
            raise ActionError(_("An invoice for this membership is already being prepared."))
        fee = membership_fee_cents(membership)
        if fee <= 0:
            raise ActionError(_("The plan has no fee for this organisation's kind and size."))
        customer = customer_details_for(membership.organisation)
        invoice = Invoice.objects.create(
            cluster=cluster,
            organisation=membership.organisation,
            membership=membership,
            customer_name=customer["name"],
            customer_address=customer["address"],
            customer_country=customer["country"],
            customer_vat_number=customer["vat_number"],
        )
        first = max(term_start(membership), membership.start)
        InvoiceLine.objects.create(
            invoice=invoice,
            position=1,
            description=(
                f"Membership fee, {membership.plan.name}, "
                f"{first.isoformat()} to {membership.term_end.isoformat()}"
            ),
            unit_cents=fee,
            net_cents=fee,
            vat_cents=0,
        )
        invoice.net_cents = invoice.gross_cents = fee
        invoice.save(update_fields=["net_cents", "gross_cents"])
    audit(actor, "change", invoice, cluster_id=cluster.pk, detail="draft invoice prepared")
    return invoice


def _credit_number(invoice: Invoice, year: int) -> str:
    """CN-<CLUSTER>-<year>-<00001>, consecutive per cluster and year: counted under the
    lock of the cluster's invoice counter of that year, which issuing also takes."""
    InvoiceCounter.objects.get_or_create(cluster_id=invoice.cluster_id, year=year)
    InvoiceCounter.objects.select_for_update().get(cluster_id=invoice.cluster_id, year=year)
    count = CreditNote.objects.filter(
        invoice__cluster_id=invoice.cluster_id, issue_date__year=year
    ).count()
    return f"CN-{invoice.cluster.slug.upper()[:12]}-{year}-{count + 1:05d}"


def credit_note_create(
    *,
    actor,
    invoice: Invoice,
    reason: str,
    issue_date: datetime.date,
    gross_cents: int | None = None,
) -> CreditNote:
    """Credit the whole invoice (gross_cents=None: what is not credited yet) or part of
    it. The VAT is split in the invoice's proportion; the invoice itself is not edited,
    only its status becomes "credited" once nothing is left to credit."""
    if not actor.has_perm("memberships.manage_invoice", invoice):
        raise PermissionDenied
    if not reason.strip():
        raise ActionError(_("Give the reason of the credit note."), field="reason")
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("cluster").get(pk=invoice.pk)
        if invoice.status not in (*OPEN_STATUSES, InvoiceStatus.PAID):
            raise ActionError(_("Only an issued invoice can be credited."))
        done = invoice.credit_notes.aggregate(
            net=Sum("net_cents"), vat=Sum("vat_cents"), gross=Sum("gross_cents")
        )
        left_net = invoice.net_cents - (done["net"] or 0)
        left_vat = invoice.vat_cents - (done["vat"] or 0)
        left_gross = invoice.gross_cents - (done["gross"] or 0)
        if gross_cents is None or gross_cents == left_gross:
            net, vat, gross = left_net, left_vat, left_gross
        else:
            if gross_cents <= 0:
                raise ActionError(_("The amount must be more than zero."), field="amount")
            if gross_cents > left_gross:
                raise ActionError(
                    _("The amount is more than what is left to credit on the invoice."),
                    field="amount",
                )
            vat = 0
            if invoice.gross_cents:
                vat = int(
                    (Decimal(gross_cents) * invoice.vat_cents / invoice.gross_cents).quantize(
                        Decimal(1), rounding=ROUND_HALF_UP
                    )
                )
            gross, net = gross_cents, gross_cents - vat
        if gross <= 0:
            raise ActionError(_("Nothing is left to credit on this invoice."))
        note = CreditNote.objects.create(
            invoice=invoice,
            number=_credit_number(invoice, issue_date.year),
            issue_date=issue_date,
            reason=reason.strip(),
            net_cents=net,
            vat_cents=vat,
            gross_cents=gross,
        )
        if gross == left_gross:
            invoice.status = InvoiceStatus.CREDITED
            invoice.save(update_fields=["status"])
    audit(actor, "change", invoice, cluster_id=invoice.cluster_id, detail=f"credit note {note}")
    return note
