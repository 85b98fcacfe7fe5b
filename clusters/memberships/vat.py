"""VAT of a membership invoice by the EU rules for services (Directive 2006/112/EC).

- customer in another EU country with a valid VAT number: reverse charge (Article 196);
- customer in the issuer's country, or in the EU without a VAT number: the issuer
  country's standard rate (data/vat_standard_rates.csv, with its source and date);
- customer outside the EU: outside the scope of EU VAT.

Amounts are integer cents; VAT is computed per line and rounded half up to the cent
(the rule of France, Belgium and Germany for invoices; the invoice total is the sum of
the rounded lines).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from portal.base.errors import ActionError

from .enums import VatTreatment

REVERSE_CHARGE_MENTION = "VAT reverse charge, Article 196 Directive 2006/112/EC"
OUTSIDE_EU_MENTION = "Outside the scope of EU VAT"
RATES_FILE = Path(__file__).parent / "data" / "vat_standard_rates.csv"


@functools.cache
def standard_rates() -> dict[str, Decimal]:
    with RATES_FILE.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["country"]: Decimal(r["standard_rate"]) for r in rows}


def clean_vat_number(number: str) -> str:
    """The VAT number compacted, or an ActionError on field `vat_number`."""
    if not number.strip():
        return ""
    try:
        return eu_vat.validate(number)
    except ValidationError as exc:
        raise ActionError(
            f"{number} is not a valid EU VAT number (format or check digit).", field="vat_number"
        ) from exc


@dataclass(frozen=True)
class VatDecision:
    treatment: str
    rate: Decimal
    mention: str


def vat_for(*, issuer_country: str, customer_country: str, customer_vat: str) -> VatDecision:
    rates = standard_rates()
    if issuer_country not in rates:
        raise ActionError(f"The issuer country {issuer_country} is not an EU member state.")
    if customer_country not in rates:
        return VatDecision(VatTreatment.OUTSIDE_EU, Decimal(0), OUTSIDE_EU_MENTION)
    vat_number = clean_vat_number(customer_vat)
    if vat_number and customer_country != issuer_country:
        return VatDecision(VatTreatment.REVERSE_CHARGE, Decimal(0), REVERSE_CHARGE_MENTION)
    return VatDecision(VatTreatment.DOMESTIC, rates[issuer_country], "")


def line_vat_cents(net_cents: int, rate: Decimal) -> int:
    """VAT of one line in cents, rounded half up."""
    return int((Decimal(net_cents) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
