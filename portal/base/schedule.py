"""Periodic tasks of this app, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

BEAT_SCHEDULE: dict = {
    "portal-heartbeat": {"task": "portal.heartbeat", "schedule": 30.0},
    "portal-requeue-unsent-emails": {"task": "portal.requeue_unsent_emails", "schedule": 300.0},
}
