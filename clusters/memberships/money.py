"""Amounts in euros and VAT rates written the way the reader's language writes them.

Separators come from Django's locale formats (`1,234.56` in English, `1.234,56` in
German and Italian, `1 234,56` with a no-break space in French and Spanish); the euro
sign goes before the amount in English and after it, behind a no-break space, in the
other four languages (the CLDR patterns of those locales).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, translation

NBSP = "\u00a0"
EURO_SIGN_FIRST = frozenset({"en"})


def format_euros(cents: int, language: str) -> str:
    """`1234567` -> `€12,345.67` (en), `12.345,67 €` (de)."""
    with translation.override(language):
        amount = formats.number_format(
            Decimal(abs(cents)).scaleb(-2), decimal_pos=2, use_l10n=True, force_grouping=True
        )
    sign = "-" if cents < 0 else ""
    if language.split("-")[0] in EURO_SIGN_FIRST:
        return f"{sign}€{amount}"
    return f"{sign}{amount}{NBSP}€"


def format_rate(rate: Decimal, language: str) -> str:
    """`Decimal("20.00")` -> `20%` (en), `20 %` (de); `5.5` -> `5,5 %` (fr)."""
    rate = Decimal(rate)
    shown = rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()
    with translation.override(language):
        number = formats.number_format(shown, use_l10n=True)
    if language.split("-")[0] in EURO_SIGN_FIRST:
        return f"{number}%"
    return f"{number}{NBSP}%"
