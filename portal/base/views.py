"""The one way a view runs a business action.

Views only translate: they read the request, call an action, and turn its outcome
into a response. `run_action` holds the translation every view shares:

- `ActionError` (a rule refused) becomes the form's errors, on the field it names
  (or on the form as a whole), one per problem when the error carries several; or,
  without a form, a message on the next page;
- `PermissionDenied` becomes a 404, so a person cannot learn that an object they
  may not see exists.

    booking = run_action(actions.booking_create, errors_to=form, actor=user, room=room)
    if booking is REFUSED:
        return self.form_invalid(form)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .errors import ActionError


class _Refused:
    """What `run_action` returns when a rule refused the action."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "REFUSED"


REFUSED: Final = _Refused()


def add_action_error(form: forms.BaseForm, exc: ActionError) -> None:
    """The refusal as form errors: each problem on its field when the form has that
    field, else on the form as a whole."""
    problems = getattr(exc, "problems", None) or [exc]
    for problem in problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


def run_action(
    action: Callable[..., Any],
    /,
    *args: Any,
    errors_to: forms.BaseForm | HttpRequest,
    **kwargs: Any,
) -> Any:
    """Run `action(*args, **kwargs)`; its result, or REFUSED when a rule refused it
    (the reason then sits on the form, or in the page's messages)."""
    try:
        return action(*args, **kwargs)
    except ActionError as exc:
        if isinstance(errors_to, forms.BaseForm):
            add_action_error(errors_to, exc)
        else:
            messages.error(errors_to, exc.message)
        return REFUSED
    except PermissionDenied as exc:
        raise Http404 from exc
