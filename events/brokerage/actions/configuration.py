"""The manager's set-up of an event's meetings: settings, sessions and their slots."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import scheduling
from events.models import Event
from portal.base.dates import validate_sane_date
from portal.base.errors import ActionError

from ..models import (
    MAX_MEETING_MINUTES,
    MAX_TABLES,
    MIN_MEETING_MINUTES,
    BrokerageSettings,
    Meeting,
    Participant,
    Session,
    Slot,
)
from .shared import check_manager


def suggested_tables(expected_meetings: int, slots: int) -> int:
    """Tables per slot: expected meetings spread over the slots, plus 15 %."""
    if slots <= 0 or expected_meetings <= 0:
        return 1
    return min(MAX_TABLES, max(1, math.ceil(expected_meetings / slots * 1.15)))


def slot_times(
    sessions: list[tuple[datetime, datetime]], minutes: int
) -> list[tuple[int, datetime, datetime]]:
    """(session position, start, end) of each whole slot of the sessions, in time order."""
    out = []
    step = timedelta(minutes=minutes)
    for pos, (start, end) in enumerate(sessions):
        t = start
        while t + step <= end:
            out.append((pos, t, t + step))
            t += step
    return out


def _validate_sessions(event: Event, sessions, minutes: int) -> list[tuple[datetime, datetime]]:
    if not sessions:
        raise ActionError(_("Add at least one session."), field="session_1_start")
    ordered = sorted(sessions)
    for n, (start, end) in enumerate(ordered, start=1):
        if end <= start:
            raise ActionError(_("A session must end after it starts."), field=f"session_{n}_end")
        if end - start < timedelta(minutes=minutes):
            raise ActionError(
                _("Each session must hold at least one meeting of %(m)d minutes.") % {"m": minutes},
                field=f"session_{n}_end",
            )
        if start < event.start or end > event.end:
            raise ActionError(
                _("Sessions must lie within the event's start and end."),
                field=f"session_{n}_start",
            )
    for (_s1, e1), (s2, _e2) in zip(ordered, ordered[1:], strict=False):
        if s2 < e1:
            raise ActionError(_("Sessions must not overlap."), field="session_2_start")
    count = len(slot_times(ordered, minutes))
    if count > scheduling.MAX_SLOTS:
        raise ActionError(
            _("These sessions make %(n)d meeting slots; the scheduler takes at most %(max)d.")
            % {"n": count, "max": scheduling.MAX_SLOTS},
            field="session_1_end",
        )
    return ordered


def _validate_deadline(event: Event, deadline: datetime) -> None:
    """Requests can be sent until the event ends at the latest."""
    tz = event.cluster.tzinfo
    try:
        validate_sane_date(deadline, today=timezone.localdate(timezone=tz))
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field="request_deadline") from exc
    if deadline > event.end:
        raise ActionError(
            _("The request deadline must be no later than the end of the event (%(end)s).")
            % {"end": date_format(event.end.astimezone(tz), "DATETIME_FORMAT")},
            field="request_deadline",
        )


@transaction.atomic
def brokerage_configure(
    *,
    actor,
    event: Event,
    sessions: list[tuple[datetime, datetime]],
    meeting_minutes: int,
    tables: int,
    max_meetings: int,
    requires_acceptance: bool,
    pending_expiry_hours: int,
    request_deadline: datetime | None = None,
) -> BrokerageSettings:
    """Switch meetings on for an event, or change their settings.

    Changing the sessions or the meeting length rebuilds the slots (and resets
    everyone's availability to every slot), which is refused once meetings
    are scheduled: a published agenda never changes under people's feet.
    """
    check_manager(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not MIN_MEETING_MINUTES <= meeting_minutes <= MAX_MEETING_MINUTES:
        raise ActionError(
            _("Meetings last between %(lo)d and %(hi)d minutes.")
            % {"lo": MIN_MEETING_MINUTES, "hi": MAX_MEETING_MINUTES},
            field="meeting_minutes",
        )
    if tables < 1:
        raise ActionError(_("At least one table is needed."), field="tables")
    if tables > MAX_TABLES:
        raise ActionError(_("At most %(n)d tables per slot.") % {"n": MAX_TABLES}, field="tables")
    if request_deadline is not None:
        _validate_deadline(event, request_deadline)
    ordered = _validate_sessions(event, sessions, meeting_minutes)
    brokerage = BrokerageSettings.objects.select_for_update().filter(event=event).first()
    created = brokerage is None
    if brokerage is None:
        brokerage = BrokerageSettings(event=event)
    old_layout = [] if created else [(s.start, s.end) for s in brokerage.sessions.order_by("start")]
    layout_changes = (
        created or old_layout != ordered or brokerage.meeting_minutes != meeting_minutes
    )
    if (
        not created
        and tables < brokerage.tables
        and Meeting.objects.filter(event=event, table__gt=tables).exists()
    ):
        raise ActionError(
            _("Meetings are scheduled at tables above %(n)d; unschedule them first.")
            % {"n": tables},
            field="tables",
        )
    brokerage.meeting_minutes = meeting_minutes
    brokerage.tables = tables
    brokerage.max_meetings = max_meetings
    brokerage.requires_acceptance = requires_acceptance
    brokerage.pending_expiry_hours = pending_expiry_hours
    brokerage.request_deadline = request_deadline
    brokerage.save()
    if layout_changes and not created:
        if Meeting.objects.filter(event=event, slot__isnull=False).exists():
            raise ActionError(
                _(
                    "Meetings are already scheduled: the sessions and the meeting length "
                    "can no longer change."
                ),
                field="meeting_minutes",
            )
        brokerage.slots.all().delete()
        brokerage.sessions.all().delete()
    if layout_changes:
        _build_slots(brokerage, ordered)
    return brokerage


def _build_slots(brokerage: BrokerageSettings, ordered: list[tuple[datetime, datetime]]) -> None:
    sessions = [Session.objects.create(brokerage=brokerage, start=s, end=e) for s, e in ordered]
    slots = Slot.objects.bulk_create(
        [
            Slot(brokerage=brokerage, session=sessions[pos], index=i, start=s, end=e)
            for i, (pos, s, e) in enumerate(slot_times(ordered, brokerage.meeting_minutes))
        ]
    )
    # Everyone is available in every slot until they say otherwise.
    Through = Participant.availability.through
    Through.objects.bulk_create(
        [
            Through(participant_id=pid, slot_id=slot.pk)
            for pid in Participant.objects.filter(event=brokerage.event).values_list(
                "pk", flat=True
            )
            for slot in slots
        ]
    )
