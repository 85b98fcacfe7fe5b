"""The counselling-request workflow as a pure transition table.

No database here: `check_move()` takes the move's name, the request's current
status, the roles the actor holds on that request and (for reopening) when it
was resolved, and returns the new status or raises `WorkflowError` with a
message a person can read. `services.counselling.actions` applies the result under a row
lock, so a stale second move is refused by the same check.

Roles on a request: "manager" (of its cluster, or a network admin),
"advisor" (the assigned advisor), "member" (a person of the requesting
organisation) and "system" (scheduled tasks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SUBMITTED = "submitted"
TRIAGED = "triaged"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
WAITING = "waiting"
RESOLVED = "resolved"
CLOSED = "closed"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

OPEN = frozenset({SUBMITTED, TRIAGED, ASSIGNED, IN_PROGRESS, WAITING})
FINAL = frozenset({CLOSED, DECLINED, WITHDRAWN})

REOPEN_WINDOW = timedelta(days=14)
AUTO_CLOSE_AFTER = timedelta(days=14)


class WorkflowError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Move:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (reassigning changes the advisor only)
    roles: frozenset[str]
    label: str
    needs_note: bool = False


def _m(name, sources, target, roles, label, needs_note=False) -> Move:
    return Move(name, frozenset(sources), target, frozenset(roles), label, needs_note)


MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        _m("triage", {SUBMITTED}, TRIAGED, {"manager"}, gettext_lazy("Triage")),
        _m("assign", {TRIAGED}, ASSIGNED, {"manager"}, gettext_lazy("Assign to an advisor")),
        _m(
            "reassign",
            {ASSIGNED, IN_PROGRESS, WAITING},
            None,
            {"manager"},
            gettext_lazy("Reassign"),
        ),
        _m("start", {ASSIGNED}, IN_PROGRESS, {"advisor"}, gettext_lazy("Start work")),
        _m("ask", {IN_PROGRESS}, WAITING, {"advisor"}, gettext_lazy("Wait for the member")),
        _m(
            "resume",
            {WAITING},
            IN_PROGRESS,
            {"advisor", "member"},
            gettext_lazy("Back in progress"),
        ),
        _m("resolve", {IN_PROGRESS}, RESOLVED, {"advisor"}, gettext_lazy("Resolve"), True),
        _m("close", {RESOLVED}, CLOSED, {"member", "manager", "system"}, gettext_lazy("Close")),
        _m("reopen", {RESOLVED}, IN_PROGRESS, {"member"}, gettext_lazy("Reopen"), True),
        _m("decline", OPEN, DECLINED, {"manager"}, gettext_lazy("Decline"), True),
        _m("withdraw", OPEN, WITHDRAWN, {"member"}, gettext_lazy("Withdraw")),
    )
}

STATUS_LABELS = {
    SUBMITTED: gettext_lazy("Submitted"),
    TRIAGED: gettext_lazy("Triaged"),
    ASSIGNED: gettext_lazy("Assigned"),
    IN_PROGRESS: gettext_lazy("In progress"),
    WAITING: gettext_lazy("Waiting for member"),
    RESOLVED: gettext_lazy("Resolved"),
    CLOSED: gettext_lazy("Closed"),
    DECLINED: gettext_lazy("Declined"),
    WITHDRAWN: gettext_lazy("Withdrawn"),
}


def check_move(
    move: str,
    status: str,
    roles: set[str] | frozenset[str],
    *,
    resolved_at: datetime | None = None,
    now: datetime | None = None,
) -> str:
    """Return the status `move` leads to from `status`, or raise WorkflowError."""
    spec = MOVES.get(move)
    if spec is None:
        raise WorkflowError(_("“%(move)s” is not a step of the request workflow.") % {"move": move})
    if status not in spec.sources:
        raise WorkflowError(
            _("A request that is “%(status)s” cannot be moved with “%(move)s”.")
            % {"status": STATUS_LABELS.get(status, status), "move": spec.label}
        )
    if not (spec.roles & set(roles)):
        raise WorkflowError(_("You may not “%(move)s” this request.") % {"move": spec.label})
    if move == "reopen" and (
        resolved_at is None or now is None or now - resolved_at > REOPEN_WINDOW
    ):
        raise WorkflowError(_("A request can be reopened only within 14 days of its resolution."))
    return status if spec.target is None else spec.target


def available_moves(
    status: str,
    roles: set[str] | frozenset[str],
    *,
    resolved_at: datetime | None = None,
    now: datetime | None = None,
) -> list[Move]:
    """The moves this actor may make now (for buttons)."""
    out = []
    for spec in MOVES.values():
        try:
            check_move(spec.name, status, roles, resolved_at=resolved_at, now=now)
        except WorkflowError:
            continue
        out.append(spec)
    return out


def add_working_days(start: date, days: int) -> date:
    """`start` plus `days` working days (Monday to Friday; holidays not known)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
