from decimal import Decimal

import pytest

from clusters.memberships.vat import (
    REVERSE_CHARGE_MENTION,
    clean_vat_number,
    line_vat_cents,
    standard_rates,
    vat_for,
)
from portal.base.errors import ActionError

FR_VAT = "FR40303265045"
BE_VAT = "BE0403019261"


def test_domestic_b2b_gets_issuer_rate():
    d = vat_for(issuer_country="FR", customer_country="FR", customer_vat=FR_VAT)
    assert (d.treatment, d.rate, d.mention) == ("domestic", Decimal(20), "")


def test_cross_border_b2b_is_reverse_charged():
    d = vat_for(issuer_country="FR", customer_country="BE", customer_vat=BE_VAT)
    assert (d.treatment, d.rate, d.mention) == ("reverse", Decimal(0), REVERSE_CHARGE_MENTION)


def test_b2c_in_another_country_pays_issuer_rate():
    d = vat_for(issuer_country="BE", customer_country="DE", customer_vat="")
    assert (d.treatment, d.rate) == ("domestic", Decimal(21))


def test_non_eu_customer_out_of_scope():
    d = vat_for(issuer_country="FR", customer_country="CH", customer_vat="CHE-123")
    assert (d.treatment, d.rate) == ("outside", Decimal(0))


def test_bad_check_digit_is_a_field_error():
    with pytest.raises(ActionError) as exc:
        clean_vat_number("FR41303265045")
    assert exc.value.field == "vat_number"


def test_rates_table_has_27_states_and_rounding_half_up():
    assert len(standard_rates()) == 27
    assert line_vat_cents(1234, Decimal(20)) == 247  # 246.8
    assert line_vat_cents(1250, Decimal("25.5")) == 319  # 318.75
    assert line_vat_cents(10, Decimal(25)) == 3  # 2.5 -> 3
