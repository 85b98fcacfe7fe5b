"""The mutable slot assignment the heuristic works on: which slot each meeting is
in, who is busy when, how full each slot is, and a journal to undo a trial."""

from __future__ import annotations

from .model import Problem, idle_gaps_of_mask


class Assignment:
    """Mutable slot assignment with O(1) per-participant / per-slot bookkeeping."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        n_slots = problem.slots
        self.slot_of = [-1] * len(problem.meeting_ids)
        self.at = [[-1] * n_slots for _ in problem.participant_ids]
        self.busy = [0] * len(problem.participant_ids)
        self.load = [0] * n_slots
        self.full = 0  # mask of slots whose tables are all taken
        self.common = [problem.common(m) for m in range(len(problem.meeting_ids))]
        self.locked = [s >= 0 for s in problem.locked_slot]
        self.scheduled = 0
        self.journal: list[tuple[int, int]] | None = None  # (meeting, slot before) when on

    def rollback(self) -> list[int]:
        """Undo every change recorded since ``journal`` was set; return touched meetings."""
        journal, self.journal = self.journal or [], None
        for m, before in reversed(journal):
            self.move(m, before)
        return [m for m, _ in journal]

    def place(self, m: int, s: int) -> None:
        """Put meeting ``m`` into slot ``s`` (caller checked feasibility)."""
        if self.journal is not None:
            self.journal.append((m, -1))
        a, b = self.problem.ma[m], self.problem.mb[m]
        self.slot_of[m] = s
        self.at[a][s] = m
        self.at[b][s] = m
        bit = 1 << s
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.load[s] += 1
        if self.load[s] >= self.problem.tables:
            self.full |= bit
        self.scheduled += 1

    def unplace(self, m: int) -> int:
        """Remove meeting ``m`` from its slot; return that slot."""
        s = self.slot_of[m]
        if self.journal is not None:
            self.journal.append((m, s))
        a, b = self.problem.ma[m], self.problem.mb[m]
        self.slot_of[m] = -1
        self.at[a][s] = -1
        self.at[b][s] = -1
        bit = 1 << s
        self.busy[a] &= ~bit
        self.busy[b] &= ~bit
        self.load[s] -= 1
        self.full &= ~bit
        self.scheduled -= 1
        return s

    def free_slots(self, m: int) -> int:
        """Mask of slots where ``m`` could go right now without moving anything."""
        a, b = self.problem.ma[m], self.problem.mb[m]
        return self.common[m] & ~self.busy[a] & ~self.busy[b] & ~self.full

    def can_place(self, m: int, s: int) -> bool:
        return bool(self.free_slots(m) >> s & 1)

    def gaps_of(self, p: int) -> int:
        return idle_gaps_of_mask(self.busy[p], self.problem.avail[p])

    def total_gaps(self) -> int:
        return sum(self.gaps_of(p) for p in range(len(self.busy)))

    def move(self, m: int, s: int) -> None:
        """Move ``m`` to slot ``s`` (or unschedule it when ``s`` is -1)."""
        if self.slot_of[m] >= 0:
            self.unplace(m)
        if s >= 0:
            self.place(m, s)
