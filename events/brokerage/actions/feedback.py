"""After the event: each participant's feedback on a meeting."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.base.errors import ActionError

from ..models import (
    Meeting,
)


@transaction.atomic
def meeting_feedback_save(
    *, actor, meeting: Meeting, held: bool, usefulness: int | None, follow_up: bool
) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("a", "b", "slot", "event")
        .get(pk=meeting.pk)
    )
    if actor.pk not in (meeting.a.user_id, meeting.b.user_id):
        raise PermissionDenied
    starts = meeting.slot.start if meeting.slot is not None else meeting.event.start
    if timezone.now() < starts:
        raise ActionError(_("Feedback opens once the meeting has started."))
    if usefulness is not None and not 1 <= usefulness <= 5:
        raise ActionError(_("Rate usefulness from 1 to 5."), field="usefulness")
    meeting.held = held
    meeting.usefulness = usefulness if held else None
    meeting.follow_up = follow_up if held else False
    meeting.feedback_by = actor
    meeting.feedback_at = timezone.now()
    meeting.save(update_fields=["held", "usefulness", "follow_up", "feedback_by", "feedback_at"])
    return meeting
