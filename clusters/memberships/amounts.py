"""Money at the edges: integer cents inside, Decimal euros on pages, forms and CSV."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def euros(cents: int | None) -> Decimal:
    """Cents as a Decimal with two places (12000 -> Decimal('120.00')); never a float."""
    return Decimal(int(cents or 0)).scaleb(-2).quantize(CENT)


def cents(amount: Decimal) -> int:
    """A Decimal amount in euros as integer cents, rounded half up."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
