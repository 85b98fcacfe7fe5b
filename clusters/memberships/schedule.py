"""Periodic tasks of this app, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

BEAT_SCHEDULE: dict = {
    "memberships.run_billing_day": {
        "task": "memberships.run_billing_day",
        # Hourly: a day's steps are done in its first hour; later runs find them taken.
        "schedule": 60 * 60.0,
        "options": {"expires": 55 * 60},
    },
}
