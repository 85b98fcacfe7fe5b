"""Periodic tasks of this app, merged into CELERY_BEAT_SCHEDULE by portal.settings."""

BEAT_SCHEDULE: dict = {
    "rooms.expire_pending_bookings": {
        "task": "rooms.expire_pending_bookings",
        "schedule": 15 * 60.0,
    },
}
