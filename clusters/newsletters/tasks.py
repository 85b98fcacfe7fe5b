"""Thin Celery tasks of the newsletters (the work is in sending.py)."""

from celery import shared_task

from . import sending


@shared_task(name="newsletters.start_due_mailings", ignore_result=True)
def start_due_mailings() -> int:
    """Beat, every minute: start the mailings that are due and go on with those still
    sending (each minute sends up to NEWSLETTER_RATE_PER_MINUTE)."""
    due = sending.due_mailings()
    for mailing_id in due:
        send_mailing.delay(mailing_id)
    return len(due)


@shared_task(name="newsletters.send_mailing", ignore_result=True)
def send_mailing(mailing_id: int) -> int:
    """Create the deliveries (idempotent) and send batches until this minute's budget
    is used or nothing is left to claim; the next beat run goes on."""
    sending.mailing_start(mailing_id)
    sent = 0
    while True:
        batch = sending.send_batch(mailing_id)
        if not batch:
            break
        sent += batch
    sending.finish_if_done(mailing_id)
    return sent
