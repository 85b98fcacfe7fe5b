"""Periodic tasks of the newsletters, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

BEAT_SCHEDULE = {
    "newsletters-start-due-mailings": {
        "task": "newsletters.start_due_mailings",
        "schedule": 60.0,
    },
}
