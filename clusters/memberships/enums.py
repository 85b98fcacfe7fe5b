from django.db import models
from django.utils.translation import gettext_lazy as _


class TermKind(models.TextChoices):
    CALENDAR_YEAR = "calendar", _("Calendar year")
    TWELVE_MONTHS = "12months", _("12 months from joining")


class FeeMembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    CANCELLED = "cancelled", _("Cancelled")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    PART_PAID = "part_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited")


class VatTreatment(models.TextChoices):
    DOMESTIC = "domestic", _("VAT at the issuer country's standard rate")
    REVERSE_CHARGE = "reverse", _("VAT reverse charge")
    OUTSIDE_EU = "outside", _("Outside the scope of EU VAT")


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Recorded by hand")
    STATEMENT = "statement", _("Bank statement")
    PROVIDER = "provider", _("Online payment provider")


class OverpaymentHandling(models.TextChoices):
    CREDIT = "credit", _("Keep as credit on the organisation's account")
    REFUND = "refund", _("Refund")


class StatementLineStatus(models.TextChoices):
    MATCHED = "matched", _("Matched to an invoice")
    UNMATCHED = "unmatched", _("Waiting for a manager")
    ASSIGNED = "assigned", _("Assigned by a manager")


class StepStatus(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
