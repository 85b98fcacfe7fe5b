"""Thin Celery tasks of the brokerage app (the work is in .actions; the actions reach these
only from inside the function that enqueues, so the two never import each other at load)."""

from celery import shared_task

from .actions.meeting_requests import requests_expire
from .actions.schedule_runs import schedule_run_execute


@shared_task(name="brokerage.schedule_all", ignore_result=True)
def schedule_all(run_id: int) -> str:
    """ "Schedule all" for one ScheduleRun; a run already picked up does nothing."""
    return schedule_run_execute(run_id).status


@shared_task(name="brokerage.expire_requests", ignore_result=True)
def expire_requests() -> int:
    return requests_expire()
