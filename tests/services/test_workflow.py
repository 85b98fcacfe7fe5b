from datetime import UTC, date, datetime, timedelta

import pytest

from services.counselling import workflow
from services.counselling.workflow import (
    WorkflowError,
    add_working_days,
    available_moves,
    check_move,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

ALLOWED = [
    ("triage", "submitted", "manager", "triaged"),
    ("assign", "triaged", "manager", "assigned"),
    ("start", "assigned", "advisor", "in_progress"),
    ("ask", "in_progress", "advisor", "waiting"),
    ("resume", "waiting", "member", "in_progress"),
    ("resume", "waiting", "advisor", "in_progress"),
    ("resolve", "in_progress", "advisor", "resolved"),
    ("close", "resolved", "member", "closed"),
    ("close", "resolved", "manager", "closed"),
    ("close", "resolved", "system", "closed"),
    ("reassign", "assigned", "manager", "assigned"),
    ("reassign", "in_progress", "manager", "in_progress"),
    ("reassign", "waiting", "manager", "waiting"),
]


@pytest.mark.parametrize(("move", "status", "role", "target"), ALLOWED)
def test_allowed_moves_lead_to_their_target(move, status, role, target):
    assert check_move(move, status, {role}) == target


@pytest.mark.parametrize("status", sorted(workflow.OPEN))
def test_decline_and_withdraw_from_every_open_state(status):
    assert check_move("decline", status, {"manager"}) == "declined"
    assert check_move("withdraw", status, {"member"}) == "withdrawn"


@pytest.mark.parametrize("status", ["resolved", "closed", "declined", "withdrawn"])
def test_decline_and_withdraw_refused_once_not_open(status):
    with pytest.raises(WorkflowError):
        check_move("decline", status, {"manager"})
    with pytest.raises(WorkflowError):
        check_move("withdraw", status, {"member"})


def test_every_other_pair_is_refused():
    statuses = [
        "submitted",
        "triaged",
        "assigned",
        "in_progress",
        "waiting",
        "resolved",
        "closed",
        "declined",
        "withdrawn",
    ]
    allowed = {(m, s) for m, s, _r, _t in ALLOWED}
    allowed |= {("decline", s) for s in workflow.OPEN} | {("withdraw", s) for s in workflow.OPEN}
    allowed.add(("reopen", "resolved"))
    all_roles = {"manager", "advisor", "member", "system"}
    for move in workflow.MOVES:
        for status in statuses:
            if (move, status) in allowed:
                continue
            with pytest.raises(WorkflowError, match="cannot be moved"):
                check_move(move, status, all_roles, resolved_at=NOW, now=NOW)


@pytest.mark.parametrize(
    ("move", "status", "role"),
    [
        ("triage", "submitted", "member"),
        ("triage", "submitted", "advisor"),
        ("assign", "triaged", "advisor"),
        ("start", "assigned", "manager"),
        ("resolve", "in_progress", "member"),
        ("resolve", "in_progress", "manager"),
        ("decline", "submitted", "member"),
        ("withdraw", "submitted", "manager"),
        ("reopen", "resolved", "manager"),
        ("close", "resolved", "advisor"),
    ],
)
def test_wrong_role_is_refused(move, status, role):
    with pytest.raises(WorkflowError, match="You may not"):
        check_move(move, status, {role}, resolved_at=NOW, now=NOW)


def test_unknown_move_is_refused():
    with pytest.raises(WorkflowError, match="not a step"):
        check_move("teleport", "submitted", {"manager"})


def test_reopen_within_14_days_only():
    resolved = NOW - timedelta(days=14)
    assert check_move("reopen", "resolved", {"member"}, resolved_at=resolved, now=NOW) == (
        "in_progress"
    )
    with pytest.raises(WorkflowError, match="within 14 days"):
        check_move(
            "reopen", "resolved", {"member"}, resolved_at=resolved - timedelta(seconds=1), now=NOW
        )


def test_available_moves_for_member_of_resolved_request():
    names = [m.name for m in available_moves("resolved", {"member"}, resolved_at=NOW, now=NOW)]
    assert names == ["close", "reopen"]


def test_available_moves_for_manager_of_submitted_request():
    assert [m.name for m in available_moves("submitted", {"manager"})] == ["triage", "decline"]


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 9), 2, date(2026, 3, 11)),  # Monday + 2 = Wednesday
        (date(2026, 3, 12), 2, date(2026, 3, 16)),  # Thursday + 2 = Monday
        (date(2026, 3, 14), 1, date(2026, 3, 16)),  # Saturday + 1 = Monday
        (date(2026, 3, 9), 10, date(2026, 3, 23)),
        (date(2026, 3, 13), 5, date(2026, 3, 20)),  # Friday + 5 = Friday
    ],
)
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected
