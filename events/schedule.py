"""Periodic tasks of this app, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

BEAT_SCHEDULE: dict = {
    "events-send-due-reminders": {
        "task": "events.send_due_reminders",
        "schedule": 60.0,
        # A run that waits longer than a minute is superseded by the next one.
        "options": {"expires": 55},
    },
}
