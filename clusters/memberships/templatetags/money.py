"""{{ invoice.gross_cents|euros }}: cents shown as euros with two decimals;
{% if invoice|is_open %}: the invoice still owes money."""

from django import template
from django.utils.formats import number_format

from ..amounts import euros as to_euros
from ..selectors import OPEN_STATUSES

register = template.Library()


@register.filter
def euros(cents) -> str:
    return number_format(to_euros(cents), decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def is_open(invoice) -> bool:
    """The invoice still owes money (issued, or partly paid)."""
    return invoice.status in OPEN_STATUSES
