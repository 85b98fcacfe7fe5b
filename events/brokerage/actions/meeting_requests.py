"""Writes of the brokerage app. Each action is one transaction with the
permission check inside. Lock order: BrokerageSettings row first, then
participants / requests / meetings, so two acceptances (or an acceptance and
a schedule run) can never hand out the same table."""

from __future__ import annotations

import math
import os
import time
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import scheduling
from events.enums import RegistrationStatus
from events.models import Event
from portal.base.dates import validate_sane_date
from portal.base.errors import ActionError
from portal.base.notifications import notify

from .. import planning
from ..enums import AgendaStatus, RequestStatus, RunStatus
from ..models import (
    MAX_MEETING_MINUTES,
    MAX_TABLES,
    MIN_MEETING_MINUTES,
    BrokerageSettings,
    Meeting,
    MeetingRequest,
    Participant,
    ScheduleRun,
    Session,
    Slot,
)
from ..reasons import ACCEPTED_WHILE_RUNNING

#: Seconds the scheduler may use in "Schedule all" (settings.BROKERAGE_TIME_LIMIT or the
#: BROKERAGE_TIME_LIMIT environment variable override it).
DEFAULT_TIME_LIMIT = 20.0
#: The progress bar is written to the database at most this often (seconds).
PROGRESS_EVERY = 0.5
#: A run still "running" this many seconds past the time limit is considered abandoned.
ABANDONED_AFTER = 300


def suggested_tables(expected_meetings: int, slots: int) -> int:
    """Tables per slot: expected meetings spread over the slots, plus 15 %."""
    if slots <= 0 or expected_meetings <= 0:
        return 1
    return min(MAX_TABLES, max(1, math.ceil(expected_meetings / slots * 1.15)))


def _check_manager(actor, event: Event) -> None:
    if not actor.has_perm("brokerage.manage", event):
        raise PermissionDenied


def _lock_settings(event_id: int) -> BrokerageSettings:
    return (
        BrokerageSettings.objects.select_for_update()
        .select_related("event", "event__cluster")
        .get(event_id=event_id)
    )


# ---------------------------------------------------------------------------
# Manager: settings, sessions, slots


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
    _check_manager(actor, event)
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
    if created:
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


def _build_slots(brokerage: BrokerageSettings, ordered) -> None:
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


# ---------------------------------------------------------------------------
# Participant: profile, availability


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
            tz = event.cluster.tzinfo
            raise ActionError(
                _("You have a meeting at %(time)s: keep that slot available or cancel it first.")
                % {"time": date_format(clash.slot.start.astimezone(tz), "WEEKDAY_DATETIME_FORMAT")},
                field="availability",
            )
        participant.availability.set([s for s in all_slots if s.pk in wanted])
    return participant


# ---------------------------------------------------------------------------
# Requests


def _meeting_count(participant_id: int) -> int:
    return Meeting.objects.filter(Q(a_id=participant_id) | Q(b_id=participant_id)).count()


def _agenda_url(event: Event) -> str:
    return reverse("brokerage:agenda", args=[event.slug])


@transaction.atomic
def meeting_request_create(
    *, actor, event: Event, to_participant: Participant, message: str = ""
) -> MeetingRequest:
    brokerage = _lock_settings(event.pk)
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
        MeetingRequest.objects.filter(status=RequestStatus.PENDING)
        .filter(
            Q(from_participant=sender, to_participant=to_participant)
            | Q(from_participant=to_participant, to_participant=sender)
        )
        .exists()
    ):
        raise ActionError(_("A request between you two is already waiting for an answer."))
    pending_out = MeetingRequest.objects.filter(
        from_participant=sender, status=RequestStatus.PENDING
    ).count()
    if _meeting_count(sender.pk) + pending_out >= brokerage.max_meetings:
        raise ActionError(
            _("You have reached the maximum of %(n)d meetings (including pending requests).")
            % {"n": brokerage.max_meetings}
        )
    if _meeting_count(to_participant.pk) >= brokerage.max_meetings:
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
    brokerage = _lock_settings(meeting_request.event_id)
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant__user", "to_participant__user", "event")
        .get(pk=meeting_request.pk)
    )
    if request.to_participant.user_id != actor.pk:
        raise PermissionDenied
    if request.status != RequestStatus.PENDING:
        raise ActionError(_("This request has already been answered."))
    if request.event.end <= timezone.now():
        raise ActionError(_("The event is over."))
    for p in (request.from_participant, request.to_participant):
        if _meeting_count(p.pk) >= brokerage.max_meetings:
            raise ActionError(
                _("%(name)s already has the maximum of %(n)d meetings.")
                % {"name": p.user.display_name, "n": brokerage.max_meetings}
            )
    return _accept(brokerage, request)


def _accept(brokerage: BrokerageSettings, request: MeetingRequest) -> Meeting:
    """Turn a request into a meeting; once agendas are published, place it at once."""
    request.status = RequestStatus.ACCEPTED
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
            url=_agenda_url(request.event),
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

    with translation.override(participant.user.language or django_settings.LANGUAGE_CODE):
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
    if request.status != RequestStatus.PENDING:
        raise ActionError(_("This request has already been answered."))
    request.status = RequestStatus.DECLINED
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
    if request.status != RequestStatus.PENDING:
        raise ActionError(_("This request has already been answered."))
    request.status = RequestStatus.CANCELLED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> None:
    """Either participant calls a meeting off before the event ends: its slot and
    table become free for others, and the partner is told."""
    _lock_settings(meeting.event_id)
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
            status=RequestStatus.CANCELLED, decided_at=timezone.now()
        )
    notify(
        partner.user,
        template="brokerage/email/meeting_cancelled",
        context={"event": meeting.event, "partner": me, "slot": meeting.slot},
        url=_agenda_url(meeting.event),
    )
    meeting.delete()


def requests_expire(*, now: datetime | None = None) -> int:
    """Expire pending requests older than their event's `pending_expiry_hours`
    (beat task). Each request is expired and its sender told exactly once: the
    conditional UPDATE decides who wins if two runs overlap."""
    now = now or timezone.now()
    candidates = (
        MeetingRequest.objects.filter(status=RequestStatus.PENDING)
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
            won = MeetingRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
                status=RequestStatus.EXPIRED, decided_at=now
            )
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


# ---------------------------------------------------------------------------
# Manager: schedule runs, locks, publication


@transaction.atomic
def schedule_run_start(*, actor, event: Event) -> ScheduleRun:
    _check_manager(actor, event)
    brokerage = _lock_settings(event.pk)
    if not brokerage.slots.exists():
        raise ActionError(_("There are no slots: add a session first."))
    _fail_abandoned_runs(event)
    active = ScheduleRun.objects.filter(
        event=event, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if active is not None:
        raise ActionError(_("The scheduler is already running for this event."))
    run = ScheduleRun.objects.create(event=event, created_by=actor)
    from ..tasks import schedule_all

    transaction.on_commit(lambda: schedule_all.delay(run.pk))
    return run


def _time_limit() -> float:
    return float(
        getattr(django_settings, "BROKERAGE_TIME_LIMIT", None)
        or os.environ.get("BROKERAGE_TIME_LIMIT")
        or DEFAULT_TIME_LIMIT
    )


def _budget_for(meetings: int, limit: float) -> float:
    """The solver's gap-reduction phase uses all the time it gets; a manager should
    not wait 20 s for 74 meetings. About 2 s plus 1 s per 100 meetings, up to the limit."""
    return min(limit, 2.0 + meetings / 100)


def _fail_abandoned_runs(event: Event) -> None:
    """A run whose worker died would block "Schedule all" for ever: a run still
    running well past the time limit, or queued for half an hour, is failed.
    (If its worker does come back, its result is discarded: see _save_output.)"""
    now = timezone.now()
    message = _("abandoned: no result in time (did the worker stop?)")
    ScheduleRun.objects.filter(
        event=event,
        status=RunStatus.RUNNING,
        started__lt=now - timedelta(seconds=_time_limit() + ABANDONED_AFTER),
    ).update(status=RunStatus.FAILED, error=message, finished=now)
    ScheduleRun.objects.filter(
        event=event, status=RunStatus.QUEUED, created__lt=now - timedelta(minutes=30)
    ).update(status=RunStatus.FAILED, error=message, finished=now)


#: Where each stage of a run puts the progress bar (percent). The solver's own
#: fractions fill the span between SOLVING and SOLVED.
LOADED, SOLVED, CHECKED = 10, 90, 95


def _progress_writer(run_id: int):
    """A progress callback writing the run's percentage, at most every
    PROGRESS_EVERY seconds unless `stage` is set (a stage is always written)."""
    last = {"t": 0.0, "value": -1}

    def write(fraction: float, *, stage: bool = False) -> None:
        value = max(0, min(100, int(fraction * 100)))
        now = time.monotonic()
        if value <= last["value"] or (
            not stage and now - last["t"] < PROGRESS_EVERY and value < 100
        ):
            return
        last.update(t=now, value=value)
        ScheduleRun.objects.filter(pk=run_id).update(progress=value)

    return write


def schedule_run_execute(run_id: int, *, time_limit: float | None = None) -> ScheduleRun:
    """The body of the "Schedule all" task: load, solve, save.

    Solving happens outside any transaction (it can take the whole time limit);
    saving takes the settings lock, clears every unlocked place and writes the
    new ones. Meetings accepted while the solver ran are left unscheduled with
    a reason (a re-run or the next acceptance's incremental placement picks
    them up). A run that is not queued (already done, or picked up twice) does nothing.
    """
    claimed = ScheduleRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started=timezone.now(), progress=0
    )
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    if not claimed:
        return run
    if time_limit is None:
        time_limit = _time_limit()
    progress = _progress_writer(run_id)
    span = (SOLVED - LOADED) / 100
    try:
        brokerage = BrokerageSettings.objects.get(event_id=run.event_id)
        loaded = planning.load(brokerage)
        progress(LOADED / 100, stage=True)
        output = scheduling.schedule(
            loaded.problem,
            time_limit=_budget_for(len(loaded.problem["meetings"]), time_limit),
            # The solver's 1.0 means "solved", not "saved": it ends at SOLVED.
            progress=lambda f: progress(LOADED / 100 + span * f, stage=f >= 1.0),
        )
        errors = scheduling.validate(loaded.problem, output)
        if errors:
            raise scheduling.SchedulingInputError("; ".join(errors[:5]))
        progress(CHECKED / 100, stage=True)
        _save_output(run, loaded, output)
    except scheduling.SchedulingInputError as exc:
        ScheduleRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished=timezone.now()
        )
    except Exception as exc:
        ScheduleRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=repr(exc)[:2000], finished=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


@transaction.atomic
def _save_output(run: ScheduleRun, loaded: planning.Loaded, output: dict) -> None:
    brokerage = _lock_settings(run.event_id)
    if not ScheduleRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).exists():
        return  # failed as abandoned meanwhile: a newer run may already own the schedule
    later = ACCEPTED_WHILE_RUNNING  # stored in English, shown translated
    run_ids = [int(mid) for mid in loaded.meetings]
    before = {
        pk: (slot_id, table)
        for pk, slot_id, table in Meeting.objects.filter(event_id=run.event_id).values_list(
            "pk", "slot_id", "table"
        )
    }
    Meeting.objects.filter(event_id=run.event_id, locked=False).update(
        slot=None, table=None, unscheduled_reason=later
    )
    by_id = {m.pk: m for m in Meeting.objects.filter(pk__in=run_ids)}
    changed = []
    for item in output["assignments"]:
        m = by_id.get(int(item["meeting"]))
        if m is None or m.locked:
            continue
        m.slot = loaded.slot_by_index[item["slot"]]
        m.table = item["table"] + 1
        m.unscheduled_reason = ""
        changed.append(m)
    for item in output["unscheduled"]:
        m = by_id.get(int(item["meeting"]))
        if m is None:
            continue
        m.slot, m.table, m.unscheduled_reason = None, None, item["reason"][:300]
        changed.append(m)
    Meeting.objects.bulk_update(changed, ["slot", "table", "unscheduled_reason"], batch_size=500)
    if brokerage.is_published:
        _notify_moved(brokerage, before)
    requested = MeetingRequest.objects.filter(event_id=run.event_id).count()
    stats = {
        **output["stats"],
        "requested": requested,
        "accepted": len(loaded.meetings),
        "unscheduled": len(output["unscheduled"]),
        "slots": loaded.problem["slots"],
        "tables": brokerage.tables,
    }
    ScheduleRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.DONE,
        progress=100,
        stats=stats,
        unscheduled=output["unscheduled"],
        finished=timezone.now(),
    )


def _notify_moved(brokerage: BrokerageSettings, before: dict) -> None:
    """After a re-run of a published schedule: tell each person whose meetings moved."""
    after = Meeting.objects.filter(event_id=brokerage.event_id).values_list(
        "pk", "slot_id", "table", "a_id", "b_id"
    )
    moved: dict[int, int] = {}
    for pk, slot_id, table, a_id, b_id in after:
        if before.get(pk) != (slot_id, table):
            for pid in (a_id, b_id):
                moved[pid] = moved.get(pid, 0) + 1
    event = brokerage.event
    for participant in Participant.objects.filter(pk__in=moved).select_related("user"):
        notify(
            participant.user,
            template="brokerage/email/agenda_changed",
            context={"event": event, "moved": moved[participant.pk]},
            url=_agenda_url(event),
        )


@transaction.atomic
def meeting_set_locked(*, actor, meeting: Meeting, locked: bool) -> Meeting:
    _check_manager(actor, meeting.event)
    _lock_settings(meeting.event_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked and meeting.slot_id is None:
        raise ActionError(_("Only a scheduled meeting can be locked in place."))
    meeting.locked = locked
    meeting.save(update_fields=["locked"])
    return meeting


@transaction.atomic
def agenda_publish(*, actor, event: Event, status: str) -> BrokerageSettings:
    """Publish the agendas (preliminary or final) and tell every participant."""
    _check_manager(actor, event)
    if status not in (AgendaStatus.PRELIMINARY, AgendaStatus.FINAL):
        raise ActionError(_("Choose preliminary or final."))
    brokerage = _lock_settings(event.pk)
    if brokerage.agenda_status == AgendaStatus.FINAL and status == AgendaStatus.PRELIMINARY:
        raise ActionError(
            _("The final agendas are published; they cannot become preliminary again.")
        )
    if not Meeting.objects.filter(event=event, slot__isnull=False).exists():
        raise ActionError(_("Nothing is scheduled yet: run the scheduler first."))
    brokerage.agenda_status = status
    brokerage.agenda_published_at = timezone.now()
    brokerage.save(update_fields=["agenda_status", "agenda_published_at", "updated"])
    from ..selectors import agenda_ics

    people = Participant.objects.filter(event=event).select_related("user", "event__cluster")
    for participant in people:
        notify(
            participant.user,
            template="brokerage/email/agenda_published",
            context={
                "event": event,
                "final": status == AgendaStatus.FINAL,
                "meetings": _meeting_count(participant.pk),
            },
            url=_agenda_url(event),
            attachments=[("agenda.ics", agenda_ics(participant).decode(), "text/calendar")],
        )
    return brokerage


# ---------------------------------------------------------------------------
# After the event


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
    starts = meeting.slot.start if meeting.slot_id else meeting.event.start
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
