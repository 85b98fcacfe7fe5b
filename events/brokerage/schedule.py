"""Periodic tasks of this app, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

BEAT_SCHEDULE: dict = {
    "brokerage-expire-requests": {
        "task": "brokerage.expire_requests",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
}
