import pytest

from clusters.memberships.references import clean_bic, clean_iban, clean_rf, rf_for
from portal.base.errors import ActionError


def test_rf_generated_is_valid_and_unique_per_invoice():
    a, b = rf_for(3, 2027, 1), rf_for(3, 2027, 2)
    assert a.startswith("RF") and a.endswith("0003202700000" + "1")
    assert clean_rf(a) == a and clean_rf(b) == b and a != b


def test_rf_known_example_and_typo():
    assert clean_rf("RF18 5390 0754 7034") == "RF18539007547034"
    with pytest.raises(ActionError) as exc:
        clean_rf("RF19539007547034")
    assert exc.value.field == "reference"


def test_iban_and_bic():
    assert clean_iban("FR76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert clean_bic("BNPAFRPP") == "BNPAFRPP"
    with pytest.raises(ActionError) as exc:
        clean_iban("FR76 3000 6000 0112 3456 7890 188")
    assert exc.value.field == "iban"
    with pytest.raises(ActionError):
        clean_bic("BNPA")
