"""How the event views load an event: by slug, 404 unless the person holds the permission."""

from portal.base.permissions import get_permitted_object_or_404

from ..models import Event


def event_for(user, perm: str, slug: str) -> Event:
    """The event with `slug`, or 404 unless `user` holds `perm` on it."""
    return get_permitted_object_or_404(
        user, perm, Event.objects.select_related("cluster", "room"), slug=slug
    )
