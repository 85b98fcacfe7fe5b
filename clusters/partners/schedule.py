"""Periodic tasks of this app, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    "partners.recompute_all": {
        "task": "partners.recompute_all",
        "schedule": crontab(hour=2, minute=30),  # CELERY_TIMEZONE is UTC
        # A run that could not start within two hours waits for the next night.
        "options": {"expires": 2 * 3600},
    },
}
