"""Reads of the brokerage app."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.scheduling import idle_gaps_of_mask
from portal.base.ics import ics_calendar, ics_event

from . import planning
from .enums import MeetingRequestStatus, RunStatus
from .models import BrokerageSettings, Meeting, MeetingRequest, Participant, ScheduleRun, Slot
from .reasons import localise_unscheduled_reason
from .timeline import agenda_timeline


def brokerage_for(event) -> BrokerageSettings | None:
    return BrokerageSettings.objects.filter(event=event).first()


def participant_for(event, user) -> Participant | None:
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.filter(event=event, user=user)
        .select_related("user", "organisation")
        .first()
    )


# What a card of the participant list (brokerage/participant_list.html) reads.
PARTICIPANT_CARD = (
    "event",
    "offers",
    "requests",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__is_active",
    "organisation__name",
    "organisation__logo",
    "organisation__kind",
    "organisation__country",
)


def participant_list(event) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(event=event)
        .select_related("user", "organisation")
        .prefetch_related("topics")
        .order_by("organisation__name", "user__last_name", "pk")
    )


def requests_of(participant: Participant) -> dict[str, list[MeetingRequest]]:
    qs = MeetingRequest.objects.filter(
        Q(from_participant=participant) | Q(to_participant=participant)
    ).select_related(
        "from_participant__user",
        "from_participant__organisation",
        "to_participant__user",
        "to_participant__organisation",
    )
    out: dict[str, list] = {"incoming": [], "outgoing": []}
    for r in qs:
        out["incoming" if r.to_participant_id == participant.pk else "outgoing"].append(r)
    return out


def partner_status(participant: Participant) -> dict[int, str]:
    """For the participant list: other participant id -> "meeting" or "pending"."""
    status: dict[int, str] = {}
    for r in MeetingRequest.objects.filter(
        Q(from_participant=participant) | Q(to_participant=participant),
        status=MeetingRequestStatus.PENDING,
    ).values_list("from_participant_id", "to_participant_id"):
        status[r[0] if r[1] == participant.pk else r[1]] = "pending"
    for a, b in Meeting.objects.filter(Q(a=participant) | Q(b=participant)).values_list(
        "a_id", "b_id"
    ):
        status[b if a == participant.pk else a] = "meeting"
    return status


def suggested_organisation_ids(participant: Participant | None) -> set[int]:
    """Organisations the matchmaking (clusters.partners) currently suggests to the
    participant's organisation: marked in the participant list."""
    if participant is None or not participant.organisation_id:
        return set()
    try:
        from clusters.partners.selectors import current_suggestions
    except ImportError:  # matchmaking not installed
        return set()
    return set(
        current_suggestions(participant.organisation_id)
        .order_by()
        .values_list("suggested_id", flat=True)
    )


def _meetings_with_people() -> QuerySet[Meeting]:
    return Meeting.objects.select_related(
        "slot", "a__user", "a__organisation", "b__user", "b__organisation", "event__cluster"
    )


def agenda_of(participant: Participant) -> list[Meeting]:
    """The person's meetings, scheduled first in time order, each with `.partner`."""
    meetings = list(
        _meetings_with_people()
        .filter(Q(a=participant) | Q(b=participant))
        .order_by("slot__index", "pk")
    )
    meetings.sort(
        key=lambda m: (m.slot_id is None, m.slot.index if m.slot is not None else 0, m.pk)
    )
    for m in meetings:
        m.partner = m.partner_of(participant)
    return meetings


def busy_slot_ids(participant: Participant | None) -> set[int]:
    """Slots holding one of the person's scheduled meetings (they stay available)."""
    if participant is None:
        return set()
    return set(
        Meeting.objects.filter(Q(a=participant) | Q(b=participant), slot__isnull=False).values_list(
            "slot_id", flat=True
        )
    )


def agenda_page(participant: Participant, *, own: bool, zone: str, now=None) -> dict:
    """What the agenda page shows: `timeline` (timeline.Day list: meetings and free
    gaps by day) once times may be shown, i.e. published agendas or a manager
    looking; `unplaced`, the meetings without a time to show; `agenda`, all of them."""
    brokerage = participant.event.brokerage
    meetings = agenda_of(participant)
    show_times = brokerage.is_published or not own
    timeline = []
    if show_times and any(m.slot_id for m in meetings):
        timeline = agenda_timeline(
            slots=Slot.objects.filter(brokerage=brokerage),
            meetings=meetings,
            available_ids=set(participant.availability.values_list("pk", flat=True)),
            tz=ZoneInfo(zone),
            now=now or timezone.now(),
        )
    return {
        "agenda": meetings,
        "timeline": timeline,
        "unplaced": [m for m in meetings if not (show_times and m.slot_id)],
    }


def _meeting_ics(meeting: Meeting, participant: Participant):
    slot = meeting.slot
    assert slot is not None, "only a scheduled meeting has a calendar entry"
    partner = meeting.partner_of(participant)
    event = meeting.event
    org = partner.organisation.name if partner.organisation is not None else ""
    who = f"{partner.user.display_name} ({org})" if org else partner.user.display_name
    return ics_event(
        uid=f"brokerage-meeting-{meeting.pk}-{participant.pk}",
        summary=_("Meeting with %(who)s") % {"who": who},
        start=slot.start,
        end=slot.end,
        tz=event.cluster.time_zone,
        location=_("Table %(n)d, %(place)s") % {"n": meeting.table, "place": event.place}
        if event.place
        else _("Table %(n)d") % {"n": meeting.table},
        description=event.title,
        url=partner.get_absolute_url(),
    )


def meeting_ics(meeting: Meeting, participant: Participant) -> bytes:
    """One scheduled meeting as a calendar file, from `participant`'s side."""
    return ics_calendar(
        [_meeting_ics(meeting, participant)], name=participant.event.title, method="PUBLISH"
    )


def agenda_ics(participant: Participant) -> bytes:
    items = [_meeting_ics(m, participant) for m in agenda_of(participant) if m.slot_id]
    return ics_calendar(items, name=participant.event.title, method="PUBLISH")


def calendar_items_for(user) -> list:
    """icalendar events of the person's scheduled meetings, once agendas are published."""
    if not getattr(user, "pk", None):
        return []
    meetings = (
        _meetings_with_people()
        .filter(Q(a__user=user) | Q(b__user=user), slot__isnull=False)
        .exclude(event__brokerage__agenda_status="")
        .order_by("slot__start", "pk")
    )
    items = []
    for m in meetings:
        me = m.a if m.a.user_id == user.pk else m.b
        items.append(_meeting_ics(m, me))
    return items


def participations_of(user) -> QuerySet[Participant]:
    """'My meetings': the events where the person takes part in meetings."""
    return (
        Participant.objects.filter(user=user)
        .select_related("event", "event__cluster", "event__brokerage")
        .order_by("-event__start")
    )


def grid(brokerage: BrokerageSettings) -> list[dict]:
    """Rows of slots; each row has one cell (a meeting or None) per table. Each meeting
    carries `is_new`: scheduled or moved since the agendas were last published (never
    before a first publication)."""
    slots = list(brokerage.slots.order_by("index"))
    # Keyed by (slot_id, table); both are set on every scheduled meeting.
    cells: dict[tuple[int | None, int | None], Meeting] = {}
    for m in _meetings_with_people().filter(event_id=brokerage.event_id, slot__isnull=False):
        m.is_new = brokerage.is_published and m.moved_since_publication
        cells[(m.slot_id, m.table)] = m
    return [
        {"slot": s, "cells": [cells.get((s.pk, t)) for t in range(1, brokerage.tables + 1)]}
        for s in slots
    ]


def grid_marks(rows: list[dict]) -> dict[str, int]:
    """How many meetings of the grid are locked and how many are new (the legend's counts)."""
    meetings = [m for row in rows for m in row["cells"] if m is not None]
    return {
        "locked": sum(1 for m in meetings if m.locked),
        "new": sum(1 for m in meetings if m.is_new),
    }


def scheduled_meetings(brokerage: BrokerageSettings) -> QuerySet[Meeting]:
    return (
        _meetings_with_people()
        .filter(event_id=brokerage.event_id)
        .order_by("slot__index", "table", "pk")
    )


def schedule_as_output(brokerage: BrokerageSettings) -> tuple[dict, dict]:
    """(scheduler input, output) of the schedule as it stands in the database:
    what `events.scheduling.validate` checks, and what the live statistics use."""
    loaded = planning.load(brokerage)
    avail: dict[str, int] = {}
    for p in loaded.problem["participants"]:
        avail[p["id"]] = sum(1 << s for s in p["available"])
    busy: dict[str, int] = defaultdict(int)
    degree: dict[str, int] = defaultdict(int)
    assignments, unscheduled = [], []
    index_of = {slot.pk: i for i, slot in loaded.slot_by_index.items()}
    for item in loaded.problem["meetings"]:
        m = loaded.meetings[item["id"]]
        degree[item["a"]] += 1
        degree[item["b"]] += 1
        if m.slot_id is None:
            unscheduled.append(
                {"meeting": item["id"], "reason": m.unscheduled_reason or _("not scheduled yet")}
            )
            continue
        slot = index_of[m.slot_id]
        # A scheduled meeting has a table (constraint brokerage_meeting_slot_table).
        assert m.table is not None
        assignments.append({"meeting": item["id"], "slot": slot, "table": m.table - 1})
        busy[item["a"]] |= 1 << slot
        busy[item["b"]] |= 1 << slot
    stats = {
        "meetings": len(loaded.meetings),
        "scheduled": len(assignments),
        "max_degree": max(degree.values(), default=0),
        "idle_gaps": sum(idle_gaps_of_mask(busy[pid], avail[pid]) for pid in avail),
        "seconds": 0.0,
    }
    return loaded.problem, {"assignments": assignments, "unscheduled": unscheduled, "stats": stats}


def live_stats(brokerage: BrokerageSettings) -> dict:
    """The figures of the schedule page: requested, accepted, scheduled,
    unscheduled (with reasons and people) and idle gaps, as the database stands."""
    event_id = brokerage.event_id
    _problem, output = schedule_as_output(brokerage)
    meetings = {
        str(m.pk): m
        for m in _meetings_with_people().filter(
            pk__in=[int(u["meeting"]) for u in output["unscheduled"]]
        )
    }
    return {
        "requested": MeetingRequest.objects.filter(event_id=event_id).count(),
        "pending": MeetingRequest.objects.filter(
            event_id=event_id, status=MeetingRequestStatus.PENDING
        ).count(),
        "accepted": output["stats"]["meetings"],
        "scheduled": output["stats"]["scheduled"],
        "idle_gaps": output["stats"]["idle_gaps"],
        "unscheduled": [
            {"meeting": meetings[u["meeting"]], "reason": localise_unscheduled_reason(u["reason"])}
            for u in output["unscheduled"]
            if u["meeting"] in meetings
        ],
        "participants": Participant.objects.filter(event_id=event_id).count(),
    }


def latest_run(event) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(event=event).first()


def active_run(event) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(
        event=event, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()


def cooperations_started(cluster, start, end) -> int:
    """Meetings of the cluster's events in [start, end) that took place and led
    to a planned follow-up (from the participants' feedback): for dashboards."""
    return (
        Meeting.objects.filter(event__cluster=cluster, held=True, follow_up=True)
        .filter(
            Q(slot__start__gte=start, slot__start__lt=end)
            | Q(slot__isnull=True, event__start__gte=start, event__start__lt=end)
        )
        .count()
    )


def with_topics(qs: QuerySet[Participant]) -> QuerySet[Participant]:
    from clusters.models import Topic

    return qs.prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
