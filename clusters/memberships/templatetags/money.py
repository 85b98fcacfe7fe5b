"""{{ invoice.gross_cents|euros }}: cents shown as euros with two decimals."""

from django import template
from django.utils.formats import number_format

from ..amounts import euros as to_euros

register = template.Library()


@register.filter
def euros(cents) -> str:
    return number_format(to_euros(cents), decimal_pos=2, use_l10n=True, force_grouping=True)
