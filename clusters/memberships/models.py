"""Membership plans, fee memberships, invoices, credit notes and payments.

An issued invoice is immutable: `Invoice.save()` refuses to change one, and on
PostgreSQL a trigger (migration 0002) refuses the UPDATE itself, so neither a
queryset `.update()` nor raw SQL edits an issued invoice. Only the status may move
on (issued -> partly paid -> paid, or -> credited); everything else is corrected by a
credit note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Organisation

from .enums import (
    FeeMembershipStatus,
    InvoiceStatus,
    OverpaymentHandling,
    PaymentSource,
    StatementLineStatus,
    StepStatus,
    TermKind,
    VatTreatment,
)

# Fields that may still change once an invoice is issued.
MUTABLE_AFTER_ISSUE = frozenset({"status"})


class ImmutableInvoiceError(Exception):
    pass


class MembershipPlan(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="fee_plans")
    name = models.CharField(_("name"), max_length=120)
    # {"<organisation kind>": {"<size band>": cents, "*": cents}, "*": {"*": cents}}
    fees_cents = models.JSONField(_("yearly fee in cents by kind and size"), default=dict)
    term_kind = models.CharField(
        _("term"), max_length=10, choices=TermKind.choices, default=TermKind.CALENDAR_YEAR
    )
    pro_rata = models.BooleanField(_("new members pay pro rata"), default=True)
    free_room_hours = models.PositiveIntegerField(_("free room hours per year"), default=0)
    event_discount_percent = models.PositiveSmallIntegerField(
        _("member discount on events (%)"), default=0
    )

    class Meta:
        ordering = ["cluster", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="plan_unique_name"),
            models.CheckConstraint(
                condition=models.Q(event_discount_percent__lte=100), name="plan_discount_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def fee_for(self, kind: str, size: str) -> int:
        """The yearly fee in cents: the kind's band, else the kind's default, else the
        plan's default."""
        by_kind = self.fees_cents.get(kind) or {}
        for value in (
            by_kind.get(size),
            by_kind.get("*"),
            (self.fees_cents.get("*") or {}).get("*"),
        ):
            if value is not None:
                return int(value)
        return 0


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fee_memberships"
    )
    plan = models.ForeignKey(MembershipPlan, on_delete=models.PROTECT, related_name="memberships")
    start = models.DateField(_("start"))
    term_end = models.DateField(_("term end"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FeeMembershipStatus.choices,
        default=FeeMembershipStatus.ACTIVE,
    )
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=30)
    # Set by a manager: no renewal invoice, and the membership ends with its term.
    cancel_at_term_end = models.BooleanField(_("cancel at term end"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "plan"], name="fee_membership_unique_org_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("start")), name="fee_membership_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.plan}"


class InvoiceCounter(models.Model):
    """The last number given per cluster and year; locked while an invoice is issued."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="invoice_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.year}: {self.last}"


class Invoice(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="invoices")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invoices"
    )
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Legal details copied when the invoice is issued.
    issuer_name = models.CharField(max_length=200, blank=True)
    issuer_address = models.TextField(blank=True)
    issuer_country = models.CharField(max_length=2, blank=True)
    issuer_vat_number = models.CharField(max_length=20, blank=True)
    customer_name = models.CharField(max_length=200, blank=True)
    customer_address = models.TextField(blank=True)
    customer_country = models.CharField(max_length=2, blank=True)
    customer_vat_number = models.CharField(max_length=20, blank=True)
    vat_treatment = models.CharField(max_length=10, choices=VatTreatment.choices, blank=True)
    vat_mention = models.CharField(max_length=200, blank=True)
    net_cents = models.BigIntegerField(default=0)
    vat_cents = models.BigIntegerField(default=0)
    gross_cents = models.BigIntegerField(default=0)
    iban = models.CharField(max_length=34, blank=True)
    bic = models.CharField(max_length=11, blank=True)
    rf_reference = models.CharField(max_length=25, blank=True)
    # The membership term a fee invoice pays for; paying it extends the membership.
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year", "sequence"], name="invoice_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sequence__isnull=False),
                name="invoice_issued_has_number",
            ),
            models.CheckConstraint(
                condition=models.Q(gross_cents=models.F("net_cents") + models.F("vat_cents")),
                name="invoice_totals_add_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Invoice.objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] != InvoiceStatus.DRAFT:
                fields = kwargs.get("update_fields")
                if fields is None or not set(fields) <= MUTABLE_AFTER_ISSUE:
                    raise ImmutableInvoiceError(
                        f"Invoice {self.number} is issued and cannot change."
                    )
        super().save(*args, **kwargs)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    unit_cents = models.BigIntegerField()
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    net_cents = models.BigIntegerField()
    vat_cents = models.BigIntegerField()

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position")
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        if self.invoice.status != InvoiceStatus.DRAFT:
            raise ImmutableInvoiceError("Lines of an issued invoice cannot change.")
        super().save(*args, **kwargs)


class CreditNote(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(max_length=40)
    issue_date = models.DateField()
    reason = models.CharField(max_length=300)
    net_cents = models.BigIntegerField()
    vat_cents = models.BigIntegerField()
    gross_cents = models.BigIntegerField()

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    """Money booked to an invoice: `amount_cents` is what the invoice received; any
    amount received beyond its open amount is an `Overpayment` of this payment."""

    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    amount_cents = models.BigIntegerField()
    booked_on = models.DateField()
    reference = models.CharField(max_length=140, blank=True)
    # The statement line's identity, so importing a statement twice books nothing twice.
    import_key = models.CharField(max_length=200, blank=True)
    source = models.CharField(
        max_length=10, choices=PaymentSource.choices, default=PaymentSource.MANUAL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "import_key"],
                condition=~models.Q(import_key=""),
                name="payment_import_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents} ({self.booked_on})"


def default_reminder_days() -> list[int]:
    return [-7, 7, 21]


class ClusterBilling(models.Model):
    """The cluster's legal details and bank account, copied onto each invoice it issues."""

    cluster = models.OneToOneField(Cluster, on_delete=models.CASCADE, related_name="billing")
    legal_name = models.CharField(_("legal name"), max_length=200)
    address = models.TextField(_("address"))
    country = models.CharField(_("country"), max_length=2)
    vat_number = models.CharField(_("VAT number"), max_length=20)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)
    due_days = models.PositiveSmallIntegerField(_("days to pay"), default=30)
    renewal_days = models.PositiveSmallIntegerField(
        _("renewal invoice days before term end"), default=30
    )
    # Days relative to an invoice's due date on which its payment reminders go out.
    reminder_days = models.JSONField(
        _("reminder days around the due date"), default=default_reminder_days
    )

    def __str__(self) -> str:
        return self.legal_name


class Overpayment(models.Model):
    """What a payment brought beyond the invoice's open amount, as the manager chose:
    kept as credit on the organisation's account, or to be refunded."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="overpayment")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="overpayments"
    )
    amount_cents = models.BigIntegerField()
    handling = models.CharField(max_length=10, choices=OverpaymentHandling.choices)
    # Set when a refund went out or the credit was used.
    settled_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="overpayment_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.handling} {self.amount_cents}"


class BankStatement(models.Model):
    """One imported file (CSV or ISO 20022 camt.053)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    file_format = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    lines_new = models.PositiveIntegerField(default=0)
    lines_known = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.filename


class StatementLine(models.Model):
    """A credit line of a bank statement, kept whether or not it matched an invoice, so
    that a manager can assign the unmatched ones later."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    import_key = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    booked_on = models.DateField()
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    counterparty = models.CharField(max_length=200, blank=True)
    iban = models.CharField(max_length=34, blank=True)
    remittance = models.TextField(blank=True)
    reference = models.CharField(max_length=140, blank=True)
    status = models.CharField(max_length=10, choices=StatementLineStatus.choices)
    # Why an unmatched line did not match (shown to the manager).
    problem = models.CharField(max_length=300, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="statement_line"
    )

    class Meta:
        ordering = ["booked_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "import_key"], name="statement_line_import_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount_cents} {self.reference}"


class MembershipStep(models.Model):
    """A step of a membership's life done by the beat task: a renewal invoice, a payment
    reminder, a lapse, an end at term end.

    The unique `key` (e.g. ``renew:12:2027-12-31``, ``remind:55:+7``) is the claim: the
    row is inserted in the same transaction as the step's effects, so two runs cannot
    both do a step, and a worker killed mid-step leaves neither the row nor the effects.
    """

    key = models.CharField(max_length=80, unique=True)
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.DONE)
    done_by = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
