"""Actions that cancel something ask for a ticked box first (WCAG 3.3.4, technique
G155): a slip of the finger must not give away a seat, a room or a meeting."""

from django.contrib import messages
from django.utils.translation import gettext as _

FIELD = "confirm"


def confirmed(request, *, refusal: str = "") -> bool:
    """True when the form's confirmation box was ticked; otherwise say so (`refusal`,
    or "Nothing was cancelled...") and let the caller change nothing (browsers also
    refuse to send the form unticked)."""
    if request.POST.get(FIELD) == "yes":
        return True
    messages.error(request, refusal or _("Nothing was cancelled: tick the box to confirm first."))
    return False
