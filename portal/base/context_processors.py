from django.conf import settings

from .site import site_name


def portal(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "unread_notifications": unread,
        "SITE_NAME": site_name(),
        "DEBUG": settings.DEBUG,
    }
