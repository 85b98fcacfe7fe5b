"""Writes of the brokerage app. Each action is one transaction with the
permission check inside. Lock order: BrokerageSettings row first, then
participants / requests / meetings, so two acceptances (or an acceptance and
a schedule run) can never hand out the same table."""

from .agenda import agenda_publish, meeting_set_locked
from .configuration import brokerage_configure, slot_times, suggested_tables
from .feedback import meeting_feedback_save
from .meeting_requests import (
    meeting_cancel,
    meeting_request_accept,
    meeting_request_cancel,
    meeting_request_create,
    meeting_request_decline,
    place_meeting,
    requests_expire,
)
from .participants import participant_save
from .schedule_runs import schedule_run_execute, schedule_run_start

__all__ = [
    "agenda_publish",
    "brokerage_configure",
    "meeting_cancel",
    "meeting_feedback_save",
    "meeting_request_accept",
    "meeting_request_cancel",
    "meeting_request_create",
    "meeting_request_decline",
    "meeting_set_locked",
    "participant_save",
    "place_meeting",
    "requests_expire",
    "schedule_run_execute",
    "schedule_run_start",
    "slot_times",
    "suggested_tables",
]
