"""An event's life, by its managers: create (a draft), edit, publish, cancel."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.base.errors import ActionError
from portal.base.notifications import notify

from .. import rooms as room_link
from ..enums import DeliveryStatus, EventStatus
from ..models import Event, ReminderDelivery
from .email_parts import ics_attachment, local_times
from .registrations import promote_waitlisted
from .validation import (
    event_date_window,
    local_day,
    normalise,
    validate_dates,
    validate_fields,
    window_error,
)

# Fields whose change a registrant must hear about (time or place).
LOGISTICS_FIELDS = ("start", "end", "address", "room_id", "online_link", "format")
EDITABLE_FIELDS = (
    "title",
    "kind",
    "format",
    "start",
    "end",
    "address",
    "online_link",
    "capacity",
    "online_capacity",
    "registration_opens",
    "registration_closes",
    "waitlist_enabled",
    "audience",
    "description",
    "cover_alt",
    "reminder_offsets",
)


def unique_event_slug(title: str, start: datetime, exclude_pk: int | None = None) -> str:
    base = f"{slugify(title)[:180] or 'event'}-{start:%Y-%m-%d}"
    slug, n = base, 2
    qs = Event.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_manager(actor, event_or_cluster, *, cluster=None) -> None:
    cluster = cluster or getattr(event_or_cluster, "cluster", event_or_cluster)
    if not (
        actor.is_network_admin or actor.is_superuser or cluster.pk in actor.managed_cluster_ids
    ):
        raise PermissionDenied


@transaction.atomic
def event_create(*, actor, cluster, topics=(), room=None, cover=None, **fields) -> Event:
    """A manager schedules an event (a draft until published). A room is booked
    through the room rules; a clash is refused with the clashing booking named."""
    _check_manager(actor, cluster)
    data = normalise({**fields, "room": room})
    validate_dates(data, cluster=cluster, start_changed=True)
    validate_fields(data)
    room = data.pop("room")
    event = Event(
        cluster=cluster, created_by=actor, **{k: data[k] for k in data if k in EDITABLE_FIELDS}
    )
    event.slug = unique_event_slug(event.title, event.start.astimezone(cluster.tzinfo))
    _set_cover(event, cover)
    event.save()
    event.topics.set(topics)
    if room is not None:
        room_link.book(event=event, room=room, actor=actor)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, topics=None, room=..., cover=None, **fields) -> Event:
    """Edit an event. When the time or place of a published event changes, every
    active registrant is told with the new details and an updated .ics
    (SEQUENCE raised)."""
    event = Event.objects.select_for_update().select_related("cluster").get(pk=event.pk)
    _check_manager(actor, event)
    if event.status == EventStatus.CANCELLED:
        raise ActionError(_("A cancelled event can no longer be changed."))
    before = {f: getattr(event, f) for f in LOGISTICS_FIELDS}
    current_room = event.room
    new_room = current_room if room is ... else room
    data = {f: getattr(event, f) for f in EDITABLE_FIELDS}
    data.update(fields)
    data["room"] = new_room
    data = normalise(data)
    validate_dates(data, cluster=event.cluster, start_changed=data["start"] != before["start"])
    validate_fields(data)
    new_room = data.pop("room")
    for f in EDITABLE_FIELDS:
        setattr(event, f, data[f])
    room_changed = getattr(new_room, "pk", None) != getattr(current_room, "pk", None)
    time_changed = before["start"] != event.start or before["end"] != event.end
    if room_changed or (new_room is not None and time_changed):
        room_link.release(event=event, actor=actor)
        if new_room is not None:
            room_link.book(event=event, room=new_room, actor=actor)
    after = {f: getattr(event, f) for f in before}
    logistics_changed = room_changed or after != before
    if logistics_changed and event.status == EventStatus.PUBLISHED:
        event.sequence += 1
    _set_cover(event, cover)
    event.save()
    if topics is not None:
        event.topics.set(topics)
    if time_changed:
        _rearm_reminders(event)
    if event.capacity > 0 or event.online_capacity > 0:
        promote_waitlisted(event)
    if logistics_changed and event.status == EventStatus.PUBLISHED:
        for reg in event.registrations.active().select_related("user"):
            notify(
                reg.user,
                template="events/email/event_changed",
                context={"event": event, "registration": reg, **local_times(event)},
                url=event.get_absolute_url(),
                cluster=event.cluster,
                attachments=[ics_attachment(event, reg)],
            )
    return event


def _set_cover(event: Event, cover) -> None:
    """`cover`: None keeps the stored image, False removes it, a file (already
    re-encoded by events/uploads.py) replaces it. The old file goes after commit."""
    if cover is None:
        return
    old = event.cover.name if event.cover else ""
    if cover is False:
        event.cover = ""
    else:
        event.cover.save(cover.name, cover, save=False)
    if old and old != event.cover.name:
        storage = event.cover.storage
        transaction.on_commit(lambda: storage.delete(old))


def _rearm_reminders(event: Event) -> None:
    """After a time change, reminders whose new time is still ahead go out again."""
    now = timezone.now()
    for offset in event.reminder_offsets or []:
        if event.start - timedelta(minutes=offset) > now:
            ReminderDelivery.objects.filter(
                registration__event=event, offset_minutes=offset
            ).exclude(status=DeliveryStatus.CLAIMED).delete()


@transaction.atomic
def event_publish(*, actor, event: Event) -> Event:
    event = Event.objects.select_for_update().select_related("cluster").get(pk=event.pk)
    _check_manager(actor, event)
    if event.status != EventStatus.DRAFT:
        raise ActionError(_("Only a draft can be published."))
    if event.end <= timezone.now():
        raise ActionError(_("This event is over; it can no longer be published."))
    today = timezone.localdate(timezone=event.cluster.tzinfo)
    start_day = local_day(event.start, event.cluster.tzinfo)
    if start_day is None or start_day > event_date_window(today)[1]:
        raise ActionError(
            _("This event cannot be published: %(why)s Change its date first.")
            % {"why": window_error(today)}
        )
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated"])
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event, reason: str = "") -> Event:
    """Cancel: registrants are told, no reminder goes out any more, the room is freed."""
    event = Event.objects.select_for_update().select_related("cluster").get(pk=event.pk)
    _check_manager(actor, event)
    if event.status == EventStatus.CANCELLED:
        raise ActionError(_("This event is already cancelled."))
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated"])
    room_link.release(event=event, actor=actor)
    # Reminders not yet sent are dropped; rows in flight are skipped by the sender.
    ReminderDelivery.objects.filter(
        registration__event=event, status=DeliveryStatus.CLAIMED
    ).update(status=DeliveryStatus.SKIPPED)
    if was_published:
        for reg in event.registrations.active().select_related("user"):
            notify(
                reg.user,
                template="events/email/event_cancelled",
                context={
                    "event": event,
                    "registration": reg,
                    "reason": reason,
                    **local_times(event),
                },
                url=event.get_absolute_url(),
                cluster=event.cluster,
                attachments=[ics_attachment(event, reg)],
            )
    return event
