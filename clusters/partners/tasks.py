"""Thin Celery tasks of partner matchmaking (the work is in actions)."""

from celery import shared_task
from django.db import OperationalError

from . import actions

# A busy database (a lock held too long, a dropped connection) is worth a retry;
# both tasks are idempotent.
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="partners.recompute_all", ignore_result=True, **RETRY)
def recompute_all() -> int:
    """Beat, nightly: every organisation's suggestions."""
    return actions.suggestions_recompute_all()


@shared_task(name="partners.recompute_for", ignore_result=True, **RETRY)
def recompute_for(organisation_id: int) -> int:
    """Queued a minute after a profile change: one organisation's list and the
    lists it enters or leaves."""
    return actions.suggestions_recompute_for(organisation_id)
