"""Reads of the fees pages: plans, memberships and invoices of a cluster or of an
organisation, open amounts, and the month-by-month overview of a year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from .enums import InvoiceStatus
from .models import ClusterBilling, CreditNote, Invoice, Membership, MembershipPlan, Payment

# Statuses of an invoice that still owes money. "part_paid" is the payments worker's
# status (issued -> part paid -> paid); listed by value so these pages count it once it
# exists, and filtering by it is harmless before.
OPEN_STATUSES: tuple[str, ...] = (InvoiceStatus.ISSUED, "part_paid")


def plans_of(cluster) -> QuerySet[MembershipPlan]:
    return MembershipPlan.objects.filter(cluster=cluster).order_by("name")


def billing_of(cluster) -> ClusterBilling | None:
    return ClusterBilling.objects.filter(cluster=cluster).first()


def memberships_of(cluster) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(plan__cluster=cluster)
        .select_related("organisation", "plan")
        .order_by("organisation__name", "plan__name")
    )


def _sum_of(model, field: str):
    rows = (
        model.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(0))


def with_amounts(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Each invoice with `paid_cents`, `credited_cents` and `open_cents` (what is still
    owed: gross less payments and credit notes; drafts owe nothing yet)."""
    return invoices.annotate(
        paid_cents=_sum_of(Payment, "amount_cents"),
        credited_cents=_sum_of(CreditNote, "gross_cents"),
    ).annotate(open_cents=F("gross_cents") - F("paid_cents") - F("credited_cents"))


def invoices_of(cluster) -> QuerySet[Invoice]:
    return with_amounts(
        Invoice.objects.filter(cluster=cluster).select_related("organisation", "membership__plan")
    ).order_by("-issue_date", "-pk")


def invoices_of_organisation(organisation) -> QuerySet[Invoice]:
    """What the organisation may read: its issued invoices (not the cluster's drafts)."""
    return with_amounts(
        Invoice.objects.filter(organisation=organisation)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("cluster")
    ).order_by("-issue_date", "-pk")


def overdue(invoices: QuerySet[Invoice], today: datetime.date) -> QuerySet[Invoice]:
    """Issued, past their due date and not settled (`invoices` from with_amounts)."""
    return invoices.filter(
        status__in=OPEN_STATUSES,
        due_date__lt=today,
        gross_cents__gt=F("paid_cents") + F("credited_cents"),
    )


def is_overdue(invoice: Invoice, today: datetime.date) -> bool:
    return bool(
        invoice.status in OPEN_STATUSES
        and invoice.due_date
        and invoice.due_date < today
        and getattr(invoice, "open_cents", invoice.gross_cents) > 0
    )


def fee_memberships_of(organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("plan__cluster")
        .order_by("plan__cluster__name")
    )


def customer_details_for(organisation) -> dict[str, str]:
    """The details a new invoice to the organisation carries: those of its latest
    invoice (the organisation's admin edits them on its drafts), else its name and
    country from its profile."""
    latest = (
        Invoice.objects.filter(organisation=organisation)
        .order_by("-pk")
        .values("customer_name", "customer_address", "customer_country", "customer_vat_number")
        .first()
    )
    if latest:
        return {
            "name": latest["customer_name"],
            "address": latest["customer_address"],
            "country": latest["customer_country"],
            "vat_number": latest["customer_vat_number"],
        }
    return {
        "name": organisation.name,
        "address": "",
        "country": organisation.country,
        "vat_number": "",
    }


def draft_invoices_of_organisation(organisation) -> QuerySet[Invoice]:
    return Invoice.objects.filter(organisation=organisation, status=InvoiceStatus.DRAFT)


@dataclass
class MonthFigures:
    month: int
    invoiced_cents: int = 0
    credited_cents: int = 0
    paid_cents: int = 0
    outstanding_cents: int = 0
    overdue_cents: int = 0


def fees_by_month(cluster, year: int, today: datetime.date) -> list[MonthFigures]:
    """Twelve rows for `year`: invoiced (gross of invoices issued that month), credited
    (credit notes of that month), paid (payments booked that month), and of the invoices
    issued that month what is still outstanding today and, of that, overdue."""
    months = {m: MonthFigures(m) for m in range(1, 13)}
    issued = with_amounts(
        Invoice.objects.filter(cluster=cluster, issue_date__year=year).exclude(
            status=InvoiceStatus.DRAFT
        )
    )
    for inv in issued.only("issue_date", "gross_cents", "status", "due_date"):
        assert inv.issue_date  # not a draft
        row = months[inv.issue_date.month]
        row.invoiced_cents += inv.gross_cents
        open_cents = inv.open_cents  # type: ignore[attr-defined]  # with_amounts
        if inv.status in OPEN_STATUSES and open_cents > 0:
            row.outstanding_cents += open_cents
            if inv.due_date and inv.due_date < today:
                row.overdue_cents += open_cents
    credits = (
        CreditNote.objects.filter(invoice__cluster=cluster, issue_date__year=year)
        .annotate(m=ExtractMonth("issue_date"))
        .values("m")
        .annotate(total=Sum("gross_cents"))
    )
    for c in credits:
        months[c["m"]].credited_cents += c["total"]
    paid = (
        Payment.objects.filter(cluster=cluster, booked_on__year=year, invoice__isnull=False)
        .annotate(m=ExtractMonth("booked_on"))
        .values("m")
        .annotate(total=Sum("amount_cents"))
    )
    for p in paid:
        months[p["m"]].paid_cents += p["total"]
    return list(months.values())


def accounting_rows(cluster, year: int | None = None):
    """Invoices and credit notes of the cluster in date order, for the accountant:
    (type, number, date, customer, VAT number, net, VAT, gross, treatment, invoice)."""
    invoices = Invoice.objects.filter(cluster=cluster).exclude(status=InvoiceStatus.DRAFT)
    credits = CreditNote.objects.filter(invoice__cluster=cluster).select_related("invoice")
    if year:
        invoices = invoices.filter(issue_date__year=year)
        credits = credits.filter(issue_date__year=year)
    rows = [
        (i.issue_date, 0, i.pk, "invoice", i, i.net_cents, i.vat_cents, i.gross_cents, "")
        for i in invoices
    ]
    rows += [
        (
            c.issue_date,
            1,
            c.pk,
            "credit note",
            c.invoice,
            -c.net_cents,
            -c.vat_cents,
            -c.gross_cents,
            c.number,
        )
        for c in credits
    ]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows
