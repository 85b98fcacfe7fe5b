"""One way for every list page to treat filter values it does not know.

django-filter drops an invalid filter and filters by the others, so
``/events/?when=yesterday`` quietly listed every event. `filter_results()`
instead names each unknown value next to its field ("Unknown value for When:
yesterday", shown by ``portal/_form.html`` and its error summary) and returns
no rows: a list is never wider than what was asked for. Other errors (a date
outside the sane window) keep their own message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

# Codes Django's fields raise for a value that is not one of theirs.
UNKNOWN_CODES = frozenset({"invalid_choice", "invalid_pk_value", "invalid_list", "invalid"})
UNKNOWN_MESSAGE = _("Unknown value for %(filter)s: %(value)s")


def _submitted(form, name) -> str:
    key = form.add_prefix(name)
    data = form.data
    values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key, "")]
    return ", ".join(str(v) for v in values if v not in (None, ""))


def explain_unknown_values(form) -> list[str]:
    """Rewrite the errors of a validated filter form; return every message."""
    messages: list[str] = []
    for name in list(form.errors):
        field = form.fields.get(name)
        if field is None:
            messages.extend(form.errors[name])
            continue
        rewritten = []
        for error in form.errors[name].as_data():
            if error.code in UNKNOWN_CODES:
                params = error.params or {}
                value = params.get("value", params.get("pk")) or _submitted(form, name)
                error = ValidationError(
                    UNKNOWN_MESSAGE,
                    code="unknown_value",
                    params={
                        "filter": field.label or name,
                        "value": Truncator(str(value)).chars(60),
                    },
                )
            rewritten.append(error)
        errors = form.error_class(renderer=form.renderer, field_id=form[name].auto_id)
        errors.extend(rewritten)
        form._errors[name] = errors
        messages.extend(errors)
    return messages


def filter_problems(filterset) -> list[str]:
    """The filterset's problems in words (empty when unbound or valid)."""
    if not filterset.is_bound or filterset.form.is_valid():
        return []
    if not getattr(filterset, "_problems_explained", None):
        filterset._problems_explained = explain_unknown_values(filterset.form)
    return filterset._problems_explained


def filter_results(filterset):
    """The filtered queryset, or no rows when a filter value is not understood."""
    if filter_problems(filterset):
        return filterset.queryset.none()
    return filterset.qs
