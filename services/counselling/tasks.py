"""Thin Celery tasks of the services app (the work is in services.counselling.actions)."""

from celery import shared_task

from . import actions


@shared_task(name="services.send_overdue_digests", ignore_result=True)
def send_overdue_digests() -> int:
    """Daily: one digest per manager of overdue and unassigned requests (guarded per day)."""
    return actions.send_overdue_digests()


@shared_task(name="services.close_resolved_requests", ignore_result=True)
def close_resolved_requests() -> int:
    """Daily: close requests resolved more than 14 days ago."""
    return actions.request_auto_close()


@shared_task(name="services.delete_stale_held_uploads", ignore_result=True)
def delete_stale_held_uploads() -> int:
    """Daily: files kept for a form that was never sent again (services.counselling.held_uploads)."""
    from .held_uploads import delete_stale_held_uploads as delete

    return delete()
