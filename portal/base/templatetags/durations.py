"""A cheap duration between two moments, for tables with one per row.

Django's ``timeuntil`` works out years and months against the calendar and goes
through lazy translations on every call; a queue page with two durations a row
spent a third of its CPU there. Response and resolution times are days, hours and
minutes, so this filter counts those, with Django's own translated unit strings.
"""

from functools import lru_cache

from django import template
from django.utils.html import avoid_wrapping
from django.utils.translation import get_language, gettext, ngettext

register = template.Library()

_UNITS = (
    (86400, "%(num)d day", "%(num)d days"),
    (3600, "%(num)d hour", "%(num)d hours"),
    (60, "%(num)d minute", "%(num)d minutes"),
)


@lru_cache(maxsize=4096)
def _unit(language: str | None, index: int, count: int) -> str:
    """One unit as text in one language ("3 hours"): a translation lookup costs
    more than the rest of the filter, and a table repeats the same few counts.
    The key holds the language, so each language keeps its own strings."""
    _size, singular, plural = _UNITS[index]
    return avoid_wrapping(ngettext(singular, plural, count) % {"num": count})


@lru_cache(maxsize=64)
def _separator(language: str | None) -> str:
    return gettext(", ")


@register.filter
def elapsed(later, earlier):
    """{{ resolved_at|elapsed:created }}: "2 days, 3 hours" (two units at most),
    "0 minutes" below one minute, "" when either moment is missing."""
    if later is None or earlier is None:
        return ""
    language = get_language()
    seconds = max(int((later - earlier).total_seconds()), 0)
    parts = []
    for index, (size, _singular, _plural) in enumerate(_UNITS):
        count, seconds = divmod(seconds, size)
        if count or parts:
            if count:
                parts.append(_unit(language, index, count))
            if len(parts) == 2 or (parts and not count):
                break
    if not parts:
        return _unit(language, 2, 0)
    return _separator(language).join(parts)
