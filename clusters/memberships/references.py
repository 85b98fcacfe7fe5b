"""Payment references: ISO 11649 RF creditor references, IBAN and BIC checks."""

from __future__ import annotations

from stdnum import bic as std_bic
from stdnum import iban as std_iban
from stdnum import iso11649
from stdnum.exceptions import ValidationError

from portal.base.errors import ActionError


def rf_for(cluster_id: int, year: int, sequence: int) -> str:
    """RF reference of an invoice: RF + two check digits + cluster, year, number."""
    body = f"{cluster_id:04d}{year:04d}{sequence:06d}"
    # Exactly one pair of check digits makes the reference valid (ISO 7064 mod 97-10).
    for check in range(2, 99):
        candidate = f"RF{check:02d}{body}"
        if iso11649.is_valid(candidate):
            return candidate
    raise AssertionError(body)  # pragma: no cover - one pair always fits


def clean_rf(reference: str, field: str = "reference") -> str:
    try:
        return iso11649.validate(reference)
    except ValidationError as exc:
        raise ActionError(
            f"{reference} is not a valid RF creditor reference.", field=field
        ) from exc


def clean_iban(value: str) -> str:
    try:
        return std_iban.validate(value)
    except ValidationError as exc:
        raise ActionError(f"{value} is not a valid IBAN.", field="iban") from exc


def clean_bic(value: str) -> str:
    try:
        return std_bic.validate(value)
    except ValidationError as exc:
        raise ActionError(f"{value} is not a valid BIC.", field="bic") from exc
