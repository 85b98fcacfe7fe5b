""" "Schedule all": starting a run, and the run itself (load, solve, save)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import scheduling
from events.models import Event
from portal.base.errors import ActionError
from portal.base.notifications import notify

from .. import planning
from ..enums import RunStatus
from ..models import (
    BrokerageSettings,
    Meeting,
    MeetingRequest,
    Participant,
    ScheduleRun,
)
from ..reasons import ACCEPTED_WHILE_RUNNING
from .shared import agenda_url, check_manager, lock_settings

#: The progress bar is written to the database at most this often (seconds).
PROGRESS_EVERY = 0.5
#: A run still "running" this many seconds past the time limit is considered abandoned.
ABANDONED_AFTER = 300


@transaction.atomic
def schedule_run_start(*, actor, event: Event) -> ScheduleRun:
    check_manager(actor, event)
    brokerage = lock_settings(event.pk)
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
    """Seconds the scheduler may use in "Schedule all" (settings.BROKERAGE_TIME_LIMIT)."""
    return float(settings.BROKERAGE_TIME_LIMIT)


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
    brokerage = lock_settings(run.event_id)
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
            url=agenda_url(event),
        )
