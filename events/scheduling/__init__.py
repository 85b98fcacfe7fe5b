"""Brokerage meeting scheduler (pure Python, no Django).

Assigns one-to-one meetings to time slots and tables. Input and output are
plain JSON-shaped dicts; see ``docs/scheduling.md`` for the full description.

Input::

    {"slots": 24, "tables": 50,
     "participants": [{"id": "alice", "available": [0, 1, 2]}, {"id": "bob"}],
     "meetings": [{"id": "m1", "a": "alice", "b": "bob"},
                  {"id": "m2", "a": "alice", "b": "carol", "slot": 3, "table": 7}]}

``available`` defaults to every slot; a meeting with ``slot`` and ``table`` is
locked there.

Output::

    {"assignments": [{"meeting": "m1", "slot": 0, "table": 0}],
     "unscheduled": [{"meeting": "m9", "reason": "no common available slot for ..."}],
     "stats": {"meetings": 2, "scheduled": 1, "max_degree": 2, "idle_gaps": 0,
               "seconds": 0.01}}

API:

- ``schedule(problem, time_limit=30.0, progress=None) -> dict`` maximises the
  number of scheduled meetings, then minimises idle gaps (available slots
  without a meeting between a participant's first and last meeting).
  ``progress(fraction)`` is called now and then with 0..1, finally 1.0.
- ``ScheduleState.from_schedule(problem, output)`` and
  ``place_one(state, meeting) -> assignment dict | reason str`` add one meeting
  to a published schedule without moving any other.
- ``validate(problem, output) -> list[str]`` lists every rule violation.
- ``SchedulingInputError`` (a ``ValueError``) is raised for invalid input; its
  message names the offending item.

Command line: ``python -m events.scheduling INPUT.json [-o OUTPUT.json]
[--time-limit SECONDS]``.
"""

from .core import schedule
from .incremental import ScheduleState, place_one
from .model import MAX_SLOTS, SchedulingInputError, idle_gaps_of_mask
from .validate import validate

__all__ = [
    "MAX_SLOTS",
    "ScheduleState",
    "SchedulingInputError",
    "idle_gaps_of_mask",
    "place_one",
    "schedule",
    "validate",
]
