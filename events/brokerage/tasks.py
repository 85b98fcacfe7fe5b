"""Thin Celery tasks of the brokerage app (the work is in .actions)."""

from celery import shared_task

from . import actions


@shared_task(name="brokerage.schedule_all", ignore_result=True)
def schedule_all(run_id: int) -> str:
    """ "Schedule all" for one ScheduleRun; a run already picked up does nothing."""
    return actions.schedule_run_execute(run_id).status


@shared_task(name="brokerage.expire_requests", ignore_result=True)
def expire_requests() -> int:
    return actions.requests_expire()
