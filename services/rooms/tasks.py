from celery import shared_task


@shared_task(name="rooms.expire_pending_bookings")
def expire_pending_bookings() -> int:
    from .actions.approvals import bookings_expire_pending

    return bookings_expire_pending()
