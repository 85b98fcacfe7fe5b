"""The bridge between the database and the pure scheduler (events.scheduling).

Participant ids given to the scheduler are readable ("Ada Lovelace #12") so the
scheduler's reasons name people; meeting ids are the meeting primary keys.
Tables are 1-based in the database and 0-based in the scheduler.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from events import scheduling

from .models import BrokerageSettings, Meeting, Participant, Slot


@dataclass
class Loaded:
    problem: dict
    meetings: dict[str, Meeting] = field(default_factory=dict)
    slot_by_index: dict[int, Slot] = field(default_factory=dict)
    participant_key: dict[int, str] = field(default_factory=dict)


def participant_key(participant_id: int, name: str) -> str:
    return f"{name} #{participant_id}"


def load(
    brokerage: BrokerageSettings, *, scheduled_only: bool = False, locked: str = "locked"
) -> Loaded:
    """The scheduler input for the event's meetings.

    `locked="locked"`: only meetings marked locked keep their place (a full run);
    `locked="scheduled"`: every scheduled meeting keeps its place (incremental).
    `scheduled_only`: leave unscheduled meetings out (the incremental base).
    """
    event_id = brokerage.event_id
    slots = list(Slot.objects.filter(brokerage=brokerage).order_by("index"))
    slot_by_id = {s.pk: s for s in slots}
    people = list(
        Participant.objects.filter(event_id=event_id)
        .select_related("user")
        .order_by("pk")
        .only("pk", "user__first_name", "user__last_name", "user__email")
    )
    avail: dict[int, list[int]] = defaultdict(list)
    through = Participant.availability.through.objects.filter(participant__event_id=event_id)
    for pid, slot_id in through.values_list("participant_id", "slot_id"):
        if slot_id in slot_by_id:
            avail[pid].append(slot_by_id[slot_id].index)
    keys = {p.pk: participant_key(p.pk, p.user.display_name) for p in people}
    qs = Meeting.objects.filter(event_id=event_id).order_by("pk")
    if scheduled_only:
        qs = qs.filter(slot__isnull=False)
    meetings = {str(m.pk): m for m in qs}
    items = []
    for mid, m in meetings.items():
        item = {"id": mid, "a": keys[m.a_id], "b": keys[m.b_id]}
        keep = m.slot_id is not None and (locked == "scheduled" or m.locked)
        if keep:
            item["slot"] = slot_by_id[m.slot_id].index
            item["table"] = m.table - 1
        items.append(item)
    problem = {
        "slots": len(slots),
        "tables": brokerage.tables,
        "participants": [{"id": keys[p.pk], "available": sorted(avail[p.pk])} for p in people],
        "meetings": items,
    }
    return Loaded(
        problem=problem,
        meetings=meetings,
        slot_by_index={s.index: s for s in slots},
        participant_key=keys,
    )


def placed_output(loaded: Loaded) -> dict:
    """The `schedule` output shape of what is already placed (for ScheduleState)."""
    return {
        "assignments": [
            {"meeting": item["id"], "slot": item["slot"], "table": item["table"]}
            for item in loaded.problem["meetings"]
            if "slot" in item
        ]
    }


@dataclass
class PairState:
    state: scheduling.ScheduleState
    keys: dict[int, str]
    slot_by_index: dict[int, Slot]


def pair_state(brokerage: BrokerageSettings, a_id: int, b_id: int, *, exclude: int) -> PairState:
    """A ScheduleState holding only what placing one meeting of `a` and `b` needs:
    their availability and busy slots, and which slots have no free table.

    Loading the whole schedule would cost time proportional to the event while
    the settings lock is held; this costs a handful of queries. Slots that are
    not full get a placeholder free table: the caller picks the real lowest
    free table of the chosen slot (see actions.meeting_requests.place_meeting).
    """
    slots = list(Slot.objects.filter(brokerage=brokerage).order_by("index"))
    index_of = {s.pk: s.index for s in slots}
    state = scheduling.ScheduleState(len(slots), brokerage.tables)
    keys: dict[int, str] = {}
    people = Participant.objects.filter(pk__in=[a_id, b_id]).select_related("user")
    avail: dict[int, list[int]] = defaultdict(list)
    through = Participant.availability.through.objects.filter(participant_id__in=[a_id, b_id])
    for pid, slot_id in through.values_list("participant_id", "slot_id"):
        if slot_id in index_of:
            avail[pid].append(index_of[slot_id])
    for p in people:
        keys[p.pk] = participant_key(p.pk, p.user.display_name)
        state.add_participant(keys[p.pk], sorted(avail[p.pk]))
    theirs = (
        Meeting.objects.filter(slot__isnull=False)
        .filter(Q(a_id__in=[a_id, b_id]) | Q(b_id__in=[a_id, b_id]))
        .exclude(pk=exclude)
        .values_list("slot_id", "a_id", "b_id")
    )
    for slot_id, ma, mb in theirs:
        for pid in (ma, mb):
            if pid in keys:
                state.busy[keys[pid]] |= 1 << index_of[slot_id]
    used = dict(
        Meeting.objects.filter(slot__brokerage=brokerage)
        .exclude(pk=exclude)
        .order_by()
        .values_list("slot_id")
        .annotate(n=Count("pk"))
        .values_list("slot_id", "n")
    )
    state.free_tables = [[] if used.get(s.pk, 0) >= brokerage.tables else [0] for s in slots]
    return PairState(state=state, keys=keys, slot_by_index={s.index: s for s in slots})
