"""Every input of the fees pages. Amounts are typed in euros (Decimal, two places) and
handed on in integer cents; checks of VAT numbers, IBAN and BIC stay in the actions."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.enums import OrganisationKind, SizeBand
from clusters.forms.membership import country_choices

from .amounts import cents, euros
from .enums import OverpaymentHandling, TermKind

ANY = "*"


def money_field(label, required=False, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


def fee_field_name(kind: str, size: str) -> str:
    return f"fee_{kind}_{'any' if size == ANY else size.replace('-', '_').replace('+', 'plus')}"


class PlanForm(forms.Form):
    """A plan; its fees as a grid: a default fee, and per organisation kind a fee for any
    size and, where it differs, one per size band (blank: the next fallback applies)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    fee_default = money_field(
        _("Default yearly fee (EUR)"),
        required=True,
        help_text=_("Charged when no fee is set for the organisation's kind and size."),
    )
    term_kind = forms.ChoiceField(label=_("Term"), choices=TermKind.choices)
    pro_rata = forms.BooleanField(label=_("New members pay pro rata"), required=False)
    free_room_hours = forms.IntegerField(
        label=_("Free room hours per year"), min_value=0, max_value=10000, initial=0
    )
    event_discount_percent = forms.IntegerField(
        label=_("Member discount on events (%)"), min_value=0, max_value=100, initial=0
    )

    def __init__(self, *args, plan=None, **kwargs):
        fees = plan.fees_cents if plan else {}
        initial = kwargs.setdefault("initial", {})
        if plan:
            initial.update(
                name=plan.name,
                term_kind=plan.term_kind,
                pro_rata=plan.pro_rata,
                free_room_hours=plan.free_room_hours,
                event_discount_percent=plan.event_discount_percent,
            )
            default = (fees.get(ANY) or {}).get(ANY)
            if default is not None:
                initial["fee_default"] = euros(default)
        super().__init__(*args, **kwargs)
        self.fee_grid = []
        sizes = [(ANY, _("any size")), *SizeBand.choices]
        for kind, kind_label in OrganisationKind.choices:
            row = []
            for size, size_label in sizes:
                name = fee_field_name(kind, size)
                self.fields[name] = money_field(f"{kind_label}, {size_label} (EUR)")
                value = (fees.get(kind) or {}).get(size)
                if value is not None:
                    self.initial[name] = euros(value)
                row.append(name)
            self.fee_grid.append((kind_label, row))
        self.fee_sizes = [label for _s, label in sizes]

    def fee_rows(self):
        return [(label, [self[name] for name in names]) for label, names in self.fee_grid]

    def plain_fields(self):
        return [
            self[n]
            for n in (
                "name",
                "term_kind",
                "pro_rata",
                "free_room_hours",
                "event_discount_percent",
                "fee_default",
            )
        ]

    def plan_values(self) -> dict:
        data = self.cleaned_data
        fees: dict[str, dict[str, int]] = {ANY: {ANY: cents(data["fee_default"])}}
        for kind, _label in OrganisationKind.choices:
            for size in (ANY, *SizeBand.values):
                value = data.get(fee_field_name(kind, size))
                if value is not None:
                    fees.setdefault(kind, {})[size] = cents(value)
        return {
            "name": data["name"].strip(),
            "fees_cents": fees,
            "term_kind": data["term_kind"],
            "pro_rata": data["pro_rata"],
            "free_room_hours": data["free_room_hours"],
            "event_discount_percent": data["event_discount_percent"],
        }


class ClusterBillingForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address = forms.CharField(
        label=_("Address"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    vat_number = forms.CharField(label=_("VAT number"), max_length=20, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(label=_("BIC"), max_length=11)
    due_days = forms.IntegerField(label=_("Days to pay"), min_value=0, max_value=365, initial=30)
    renewal_days = forms.IntegerField(
        label=_("Renewal invoice days before term end"), min_value=0, max_value=365, initial=30
    )


class OrganisationBillingForm(forms.Form):
    name = forms.CharField(
        label=_("Name on invoices"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address = forms.CharField(
        label=_("Address"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    vat_number = forms.CharField(
        label=_("VAT number"),
        max_length=20,
        required=False,
        help_text=_("Leave empty if your organisation has none."),
    )


class PaymentForm(forms.Form):
    amount = money_field(_("Amount (EUR)"), required=True)
    booked_on = forms.DateField(
        label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Reference"), max_length=140, required=False)
    overpayment = forms.ChoiceField(
        label=_("If the payment is more than what is open"),
        choices=[("", _("Ask me")), *OverpaymentHandling.choices],
        required=False,
        help_text=_("A payment larger than the open amount is refused until you choose."),
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class CreditNoteForm(forms.Form):
    WHOLE, PART = "whole", "part"
    scope = forms.ChoiceField(
        label=_("Credit"),
        choices=[
            (WHOLE, _("The whole invoice (what is not credited yet)")),
            (PART, _("Part of it")),
        ],
        widget=forms.RadioSelect,
        initial=WHOLE,
    )
    amount = money_field(
        _("Amount including VAT (EUR)"), help_text=_("Only for a partial credit note.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.PART and not data.get("amount"):
            self.add_error("amount", _("Give the amount to credit."))
        return data

    def gross_cents(self) -> int | None:
        if self.cleaned_data["scope"] == self.WHOLE:
            return None
        return cents(self.cleaned_data["amount"])
