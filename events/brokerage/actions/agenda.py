"""The manager's hold on the agendas: locking a meeting in place, publishing."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from portal.base.errors import ActionError
from portal.base.notifications import notify

from ..enums import AgendaStatus
from ..models import (
    BrokerageSettings,
    Meeting,
    Participant,
)
from .shared import agenda_url, check_manager, lock_settings, meeting_count


@transaction.atomic
def meeting_set_locked(*, actor, meeting: Meeting, locked: bool) -> Meeting:
    check_manager(actor, meeting.event)
    lock_settings(meeting.event_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked and meeting.slot_id is None:
        raise ActionError(_("Only a scheduled meeting can be locked in place."))
    meeting.locked = locked
    meeting.save(update_fields=["locked"])
    return meeting


@transaction.atomic
def agenda_publish(*, actor, event: Event, status: str) -> BrokerageSettings:
    """Publish the agendas (preliminary or final) and tell every participant."""
    check_manager(actor, event)
    if status not in (AgendaStatus.PRELIMINARY, AgendaStatus.FINAL):
        raise ActionError(_("Choose preliminary or final."))
    brokerage = lock_settings(event.pk)
    if brokerage.agenda_status == AgendaStatus.FINAL and status == AgendaStatus.PRELIMINARY:
        raise ActionError(
            _("The final agendas are published; they cannot become preliminary again.")
        )
    if not Meeting.objects.filter(event=event, slot__isnull=False).exists():
        raise ActionError(_("Nothing is scheduled yet: run the scheduler first."))
    brokerage.agenda_status = status
    brokerage.agenda_published_at = timezone.now()
    brokerage.save(update_fields=["agenda_status", "agenda_published_at", "updated"])
    Meeting.objects.filter(event=event).update(published_slot=F("slot"), published_table=F("table"))
    from ..selectors import agenda_ics

    people = Participant.objects.filter(event=event).select_related("user", "event__cluster")
    for participant in people:
        notify(
            participant.user,
            template="brokerage/email/agenda_published",
            context={
                "event": event,
                "final": status == AgendaStatus.FINAL,
                "meetings": meeting_count(participant.pk),
            },
            url=agenda_url(event),
            attachments=[("agenda.ics", agenda_ics(participant).decode(), "text/calendar")],
        )
    return brokerage
