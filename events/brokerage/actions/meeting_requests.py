"""Meeting requests and the meetings they become: send, accept (placing the
meeting at once once agendas are out), decline, withdraw, call off, expire."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events import scheduling
from events.models import Event
from portal.base.errors import ActionError
from portal.base.notifications import notify

from .. import planning
from ..enums import MeetingRequestStatus
from ..models import (
    BrokerageSettings,
    Meeting,
    MeetingRequest,
    Participant,
)
from .shared import agenda_url, lock_settings, meeting_count


@transaction.atomic
def meeting_request_create(
    *, actor, event: Event, to_participant: Participant, message: str = ""
) -> MeetingRequest:
    brokerage = lock_settings(event.pk)
    sender = Participant.objects.filter(event=event, user=actor).select_related("user").first()
    if sender is None:
        raise ActionError(_("Create your cooperation profile for this event first."))
    if to_participant.event_id != event.pk:
        raise PermissionDenied
    if to_participant.pk == sender.pk:
        raise ActionError(_("You cannot ask yourself for a meeting."))
    if brokerage.deadline_passed():
        raise ActionError(_("The deadline for meeting requests has passed."))
    if event.end <= timezone.now():
        raise ActionError(_("The event is over."))
    lo, hi = sorted([sender.pk, to_participant.pk])
    if Meeting.objects.filter(event=event, a_id=lo, b_id=hi).exists():
        raise ActionError(_("You already have a meeting with this participant."))
    if (
        MeetingRequest.objects.filter(status=MeetingRequestStatus.PENDING)
        .filter(
            Q(from_participant=sender, to_participant=to_participant)
            | Q(from_participant=to_participant, to_participant=sender)
        )
        .exists()
    ):
        raise ActionError(_("A request between you two is already waiting for an answer."))
    pending_out = MeetingRequest.objects.filter(
        from_participant=sender, status=MeetingRequestStatus.PENDING
    ).count()
    if meeting_count(sender.pk) + pending_out >= brokerage.max_meetings:
        raise ActionError(
            _("You have reached the maximum of %(n)d meetings (including pending requests).")
            % {"n": brokerage.max_meetings}
        )
    if meeting_count(to_participant.pk) >= brokerage.max_meetings:
        raise ActionError(_("This participant's agenda is full."))
    request = MeetingRequest.objects.create(
        event=event, from_participant=sender, to_participant=to_participant, message=message
    )
    if brokerage.requires_acceptance:
        notify(
            to_participant.user,
            template="brokerage/email/request_received",
            context={"request": request, "event": event, "sender": sender},
            url=reverse("brokerage:request_list", args=[event.slug]),
        )
    else:
        _accept(brokerage, request)
    return request


@transaction.atomic
def meeting_request_accept(*, actor, meeting_request: MeetingRequest) -> Meeting:
    brokerage = lock_settings(meeting_request.event_id)
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant__user", "to_participant__user", "event")
        .get(pk=meeting_request.pk)
    )
    if request.to_participant.user_id != actor.pk:
        raise PermissionDenied
    if request.status != MeetingRequestStatus.PENDING:
        raise ActionError(_("This request has already been answered."))
    if request.event.end <= timezone.now():
        raise ActionError(_("The event is over."))
    for p in (request.from_participant, request.to_participant):
        if meeting_count(p.pk) >= brokerage.max_meetings:
            raise ActionError(
                _("%(name)s already has the maximum of %(n)d meetings.")
                % {"name": p.user.display_name, "n": brokerage.max_meetings}
            )
    return _accept(brokerage, request)


def _accept(brokerage: BrokerageSettings, request: MeetingRequest) -> Meeting:
    """Turn a request into a meeting; once agendas are published, place it at once."""
    request.status = MeetingRequestStatus.ACCEPTED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    lo, hi = sorted([request.from_participant_id, request.to_participant_id])
    if Meeting.objects.filter(event_id=request.event_id, a_id=lo, b_id=hi).exists():
        raise ActionError(_("You already have a meeting with this participant."))
    meeting = Meeting.objects.create(event_id=request.event_id, request=request, a_id=lo, b_id=hi)
    if brokerage.is_published:
        place_meeting(brokerage, meeting)
    for p, partner in (
        (request.from_participant, request.to_participant),
        (request.to_participant, request.from_participant),
    ):
        notify(
            p.user,
            template="brokerage/email/meeting_confirmed",
            context={"meeting": meeting, "partner": partner, "event": request.event},
            url=agenda_url(request.event),
            attachments=_meeting_ics_attachment(brokerage, meeting, p),
        )
    return meeting


def _meeting_ics_attachment(
    brokerage: BrokerageSettings, meeting: Meeting, participant: Participant
) -> list[tuple[str, str, str]]:
    """The .ics of a meeting placed once agendas are published (before that, times
    follow with the published agenda), in the participant's language."""
    if not (brokerage.is_published and meeting.slot_id):
        return []
    from ..selectors import meeting_ics

    with translation.override(participant.user.language or settings.LANGUAGE_CODE):
        content = meeting_ics(meeting, participant).decode()
    return [(f"meeting-{meeting.pk}.ics", content, "text/calendar")]


def place_meeting(brokerage: BrokerageSettings, meeting: Meeting) -> Meeting:
    """Incremental placement: a free slot of both people and a free table, without
    moving any scheduled meeting. The caller holds the BrokerageSettings lock."""
    pair = planning.pair_state(brokerage, meeting.a_id, meeting.b_id, exclude=meeting.pk)
    keys = pair.keys
    result = scheduling.place_one(
        pair.state, {"id": str(meeting.pk), "a": keys[meeting.a_id], "b": keys[meeting.b_id]}
    )
    if isinstance(result, str):
        meeting.slot, meeting.table, meeting.unscheduled_reason = None, None, result[:300]
    else:
        slot = pair.slot_by_index[result["slot"]]
        taken = set(Meeting.objects.filter(slot=slot).values_list("table", flat=True))
        meeting.slot = slot
        # The lowest free table, as the core would pick from a full state.
        meeting.table = next(t for t in range(1, brokerage.tables + 1) if t not in taken)
        meeting.unscheduled_reason = ""
    meeting.save(update_fields=["slot", "table", "unscheduled_reason"])
    return meeting


@transaction.atomic
def meeting_request_decline(*, actor, meeting_request: MeetingRequest) -> MeetingRequest:
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant__user", "to_participant__user", "event")
        .get(pk=meeting_request.pk)
    )
    if request.to_participant.user_id != actor.pk:
        raise PermissionDenied
    if request.status != MeetingRequestStatus.PENDING:
        raise ActionError(_("This request has already been answered."))
    request.status = MeetingRequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    notify(
        request.from_participant.user,
        template="brokerage/email/request_declined",
        context={"request": request, "event": request.event},
        url=reverse("brokerage:participant_list", args=[request.event.slug]),
    )
    return request


@transaction.atomic
def meeting_request_cancel(*, actor, meeting_request: MeetingRequest) -> MeetingRequest:
    request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if request.from_participant.user_id != actor.pk:
        raise PermissionDenied
    if request.status != MeetingRequestStatus.PENDING:
        raise ActionError(_("This request has already been answered."))
    request.status = MeetingRequestStatus.CANCELLED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> None:
    """Either participant calls a meeting off before the event ends: its slot and
    table become free for others, and the partner is told."""
    lock_settings(meeting.event_id)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("a__user", "b__user", "event", "request", "slot")
        .get(pk=meeting.pk)
    )
    if actor.pk not in (meeting.a.user_id, meeting.b.user_id):
        raise PermissionDenied
    if meeting.event.end <= timezone.now():
        raise ActionError(_("The event is over."))
    me = meeting.a if meeting.a.user_id == actor.pk else meeting.b
    partner = meeting.partner_of(me)
    if meeting.request_id:
        MeetingRequest.objects.filter(pk=meeting.request_id).update(
            status=MeetingRequestStatus.CANCELLED, decided_at=timezone.now()
        )
    notify(
        partner.user,
        template="brokerage/email/meeting_cancelled",
        context={"event": meeting.event, "partner": me, "slot": meeting.slot},
        url=agenda_url(meeting.event),
    )
    meeting.delete()


def requests_expire(*, now: datetime | None = None) -> int:
    """Expire pending requests older than their event's `pending_expiry_hours`
    (beat task). Each request is expired and its sender told exactly once: the
    conditional UPDATE decides who wins if two runs overlap."""
    now = now or timezone.now()
    candidates = (
        MeetingRequest.objects.filter(status=MeetingRequestStatus.PENDING)
        .select_related(
            "event__brokerage", "from_participant__user", "to_participant__user", "event"
        )
        .order_by("pk")
    )
    expired = 0
    for request in candidates.iterator(chunk_size=500):
        hours = request.event.brokerage.pending_expiry_hours
        if request.created + timedelta(hours=hours) > now:
            continue
        with transaction.atomic():
            won = MeetingRequest.objects.filter(
                pk=request.pk, status=MeetingRequestStatus.PENDING
            ).update(status=MeetingRequestStatus.EXPIRED, decided_at=now)
            if not won:
                continue
            expired += 1
            notify(
                request.from_participant.user,
                template="brokerage/email/request_expired",
                context={"request": request, "event": request.event},
                url=reverse("brokerage:participant_list", args=[request.event.slug]),
            )
    return expired
