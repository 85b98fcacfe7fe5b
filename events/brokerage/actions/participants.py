"""A participant's side: joining the meetings, the cooperation profile, availability."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.enums import RegistrationStatus
from events.models import Event
from portal.base.errors import ActionError

from ..models import (
    BrokerageSettings,
    Meeting,
    Participant,
)


def _brokerage_of(event: Event) -> BrokerageSettings:
    brokerage = BrokerageSettings.objects.filter(event=event).first()
    if brokerage is None:
        raise ActionError(_("Meetings are not open for this event."))
    return brokerage


@transaction.atomic
def participant_save(
    *,
    actor,
    event: Event,
    offers: str,
    requests: str,
    topics=(),
    available_slots=None,
) -> Participant:
    """Join the meetings of an event (confirmed registrants only) or update the
    cooperation profile. `available_slots` None keeps (or, on joining, sets
    every slot); a slot that holds one of the person's scheduled meetings
    cannot be dropped."""
    brokerage = _brokerage_of(event)
    if not event.registrations.filter(user=actor, status=RegistrationStatus.CONFIRMED).exists():
        raise ActionError(_("Only confirmed registrants of the event can take part in meetings."))
    participant, created = Participant.objects.select_for_update().get_or_create(
        event=event,
        user=actor,
        defaults={"organisation_id": actor.organisation_id, "offers": offers, "requests": requests},
    )
    if not created:
        participant.offers = offers
        participant.requests = requests
        participant.save(update_fields=["offers", "requests", "updated"])
    participant.topics.set(topics)
    all_slots = list(brokerage.slots.all())
    if available_slots is None:
        if created:
            participant.availability.set(all_slots)
    else:
        wanted = {s.pk for s in available_slots}
        busy = Meeting.objects.filter(
            Q(a=participant) | Q(b=participant), slot__isnull=False
        ).exclude(slot_id__in=wanted)
        clash = busy.select_related("slot").first()
        if clash is not None:
            assert clash.slot is not None  # busy holds scheduled meetings only
            tz = event.cluster.tzinfo
            raise ActionError(
                _("You have a meeting at %(time)s: keep that slot available or cancel it first.")
                % {"time": date_format(clash.slot.start.astimezone(tz), "WEEKDAY_DATETIME_FORMAT")},
                field="availability",
            )
        participant.availability.set([s for s in all_slots if s.pk in wanted])
    return participant
