"""Thin Celery tasks of the events app (the work is in events.reminders)."""

from celery import shared_task

from . import reminders


@shared_task(name="events.send_due_reminders", ignore_result=True)
def send_due_reminders(chunk_size: int = reminders.CHUNK_SIZE) -> int:
    """Beat, every minute: fan the due reminders out in chunks (many per task).
    Safe to run twice, concurrently, or after a crash: claims decide who sends."""
    queued = 0
    for group in reminders.find_due():
        for ids in reminders.chunks(group.registration_ids, chunk_size):
            send_reminder_chunk.delay(group.event_id, group.offset, ids)
            queued += len(ids)
    return queued


@shared_task(name="events.send_reminder_chunk", ignore_result=True)
def send_reminder_chunk(event_id: int, offset: int, registration_ids: list[int]) -> int:
    return reminders.deliver_chunk(event_id, offset, registration_ids)
