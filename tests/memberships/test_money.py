from decimal import Decimal

import pytest

from clusters.memberships.money import format_euros, format_rate

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "amount", "negative", "rate"),
    [
        ("en", "€1,234,567.89", "-€0.05", "5.5%"),
        ("de", f"1.234.567,89{NBSP}€", f"-0,05{NBSP}€", f"5,5{NBSP}%"),
        ("fr", f"1{NBSP}234{NBSP}567,89{NBSP}€", f"-0,05{NBSP}€", f"5,5{NBSP}%"),
        ("it", f"1.234.567,89{NBSP}€", f"-0,05{NBSP}€", f"5,5{NBSP}%"),
        ("es", f"1{NBSP}234{NBSP}567,89{NBSP}€", f"-0,05{NBSP}€", f"5,5{NBSP}%"),
    ],
)
def test_amounts_in_each_language(language, amount, negative, rate):
    assert format_euros(123456789, language) == amount
    assert format_euros(-5, language) == negative
    assert format_rate(Decimal("5.50"), language) == rate


def test_whole_rates_and_zero():
    assert format_rate(Decimal("20.00"), "en") == "20%"
    assert format_rate(Decimal("0"), "de") == f"0{NBSP}%"
    assert format_euros(0, "en") == "€0.00"
    assert format_euros(100, "de") == f"1,00{NBSP}€"
