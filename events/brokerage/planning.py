"""The bridge between the database and the pure scheduler (events.scheduling).

Participant ids given to the scheduler are readable ("Ada Lovelace #12") so the
scheduler's reasons name people; meeting ids are the meeting primary keys.
Tables are 1-based in the database and 0-based in the scheduler.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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
