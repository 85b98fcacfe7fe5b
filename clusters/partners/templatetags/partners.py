from django import template

from ..reasons import localise_reason as _localise

register = template.Library()


@register.filter
def localise_reason(reason: str) -> str:
    return _localise(reason)
