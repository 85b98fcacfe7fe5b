"""Periodic tasks of this app, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    "services-send-overdue-digests": {
        "task": "services.send_overdue_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "services-delete-stale-held-uploads": {
        "task": "services.delete_stale_held_uploads",
        "schedule": crontab(hour=4, minute=10),
    },
    "services-close-resolved-requests": {
        "task": "services.close_resolved_requests",
        "schedule": crontab(hour=3, minute=30),
    },
}
