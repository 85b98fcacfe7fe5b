"""Finding what is due: per event and offset, the confirmed registrations whose
reminder time has come and that have not been sent or skipped yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..enums import DeliveryStatus, EventStatus, RegistrationStatus
from ..models import Event, Registration, ReminderDelivery

CHUNK_SIZE = 200
MAX_OFFSET = timedelta(days=30)


@dataclass(frozen=True)
class DueGroup:
    event_id: int
    offset: int
    registration_ids: list[int]


def find_due(now: datetime | None = None) -> list[DueGroup]:
    now = now or timezone.now()
    groups = []
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, start__gt=now, start__lte=now + MAX_OFFSET
    ).only("id", "start", "reminder_offsets")
    for event in events:
        for offset in event.reminder_offsets or []:
            due = event.start - timedelta(minutes=offset)
            if due > now:
                continue
            done = ReminderDelivery.objects.filter(
                registration=OuterRef("pk"),
                offset_minutes=offset,
                status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED],
            )
            ids = list(
                Registration.objects.filter(
                    event=event, status=RegistrationStatus.CONFIRMED, created__lte=due
                )
                .exclude(Exists(done))
                .order_by("id")
                .values_list("id", flat=True)
            )
            if ids:
                groups.append(DueGroup(event.pk, offset, ids))
    return groups


def chunks(ids: list[int], size: int = CHUNK_SIZE):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
