"""Thin Celery tasks of the memberships app (the work is in renewals.py)."""

from celery import shared_task
from django.utils import timezone

from . import renewals


@shared_task(name="memberships.run_billing_day", ignore_result=True)
def run_billing_day() -> dict[str, int]:
    """Beat, every hour: renewal invoices, payment reminders, lapses and ends due today.
    Safe to run twice, concurrently, or after a crash: a step's claim row commits
    with its effects (see renewals.py)."""
    return renewals.run_day(timezone.localdate())
