"""Writes of the events app: scheduling, registration and the waitlist.

Locks are taken in one order: the Event row first, then registrations. Every
registration change locks the event row, so counting confirmed seats and
deciding confirmed/waitlisted happen one request at a time per event: capacity
cannot be exceeded whatever the timing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.base.dates import validate_sane_date
from portal.base.errors import ActionError
from portal.base.notifications import notify

from . import rooms as room_link
from .enums import DeliveryStatus, EventFormat, EventStatus, RegistrationStatus, SeatType
from .ics import event_ics
from .models import Event, Registration, ReminderDelivery

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
    "reminder_offsets",
)
MAX_REMINDER_MINUTES = 30 * 24 * 60
# An event starts today at the earliest (in the host cluster's zone): an event in the
# past cannot be registered for or announced. It may be planned this many years ahead.
EVENT_YEARS_AHEAD = 3
MAX_EVENT_LENGTH = timedelta(days=31)


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


def event_date_window(today: date) -> tuple[date, date]:
    """The first and last local day an event may start on (both inclusive)."""
    try:
        last = today.replace(year=today.year + EVENT_YEARS_AHEAD)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + EVENT_YEARS_AHEAD, day=28)
    return today, last


def _local_day(value: datetime, tz) -> date | None:
    """The day `value` falls on in `tz`; None when it lies so far out (year 1 or
    9999) that the conversion overflows."""
    try:
        return value.astimezone(tz).date()
    except (OverflowError, ValueError):
        return None


def _window_error(today: date) -> str:
    first, last = event_date_window(today)
    return _(
        "An event must start between %(first)s and %(last)s: today at the earliest and at"
        " most %(years)d years ahead."
    ) % {
        "first": date_format(first, "DATE_FORMAT"),
        "last": date_format(last, "DATE_FORMAT"),
        "years": EVENT_YEARS_AHEAD,
    }


def _validate_dates(data: dict, *, cluster, start_changed: bool) -> None:
    """Refuse starts outside the event window (an unchanged start of an existing
    event is kept, so a past event can still be corrected), events longer than
    MAX_EVENT_LENGTH and registration times outside the portal's date window."""
    tz = cluster.tzinfo
    today = timezone.localdate(timezone=tz)
    first, last = event_date_window(today)
    start_day = _local_day(data["start"], tz)
    if start_changed and (start_day is None or not first <= start_day <= last):
        raise ActionError(_window_error(today), field="start")
    if _local_day(data["end"], tz) is None or data["end"] - data["start"] > MAX_EVENT_LENGTH:
        raise ActionError(
            _("An event lasts at most %(days)d days.") % {"days": MAX_EVENT_LENGTH.days},
            field="end",
        )
    for name in ("registration_opens", "registration_closes"):
        value = data.get(name)
        if value is None:
            continue
        try:
            if _local_day(value, tz) is None:
                raise ValidationError(_window_error(today))
            validate_sane_date(value.astimezone(tz).replace(tzinfo=None), today=today)
        except ValidationError as exc:
            raise ActionError(" ".join(exc.messages), field=name) from exc


def _validate(data: dict) -> None:
    start, end = data["start"], data["end"]
    if end <= start:
        raise ActionError(_("The event must end after it starts."), field="end")
    opens, closes = data.get("registration_opens"), data.get("registration_closes")
    if opens and opens >= (closes or end):
        raise ActionError(_("Registration must open before it closes."), field="registration_opens")
    if closes and closes > end:
        raise ActionError(
            _("Registration must close before the event ends."), field="registration_closes"
        )
    fmt = data["format"]
    if fmt in (EventFormat.IN_PERSON, EventFormat.HYBRID):
        if not data.get("capacity"):
            raise ActionError(_("Give the number of in-person seats."), field="capacity")
        if not data.get("address") and not data.get("room"):
            raise ActionError(
                _("Choose one of the cluster's rooms or give an address."), field="address"
            )
    if fmt in (EventFormat.ONLINE, EventFormat.HYBRID) and not data.get("online_capacity"):
        raise ActionError(_("Give the number of online seats."), field="online_capacity")
    offsets = data.get("reminder_offsets") or []
    if any(not isinstance(m, int) or m <= 0 or m > MAX_REMINDER_MINUTES for m in offsets):
        raise ActionError(
            _("Reminders must be between 1 minute and 30 days before the start."),
            field="reminder_offsets",
        )


def _normalise(data: dict) -> dict:
    data = dict(data)
    fmt = data["format"]
    if fmt == EventFormat.ONLINE:
        data["capacity"] = 0
        data["address"] = ""
        data["room"] = None
    if fmt == EventFormat.IN_PERSON:
        data["online_capacity"] = 0
    data["reminder_offsets"] = sorted(set(data.get("reminder_offsets") or []), reverse=True)
    return data


@transaction.atomic
def event_create(*, actor, cluster, topics=(), room=None, **fields) -> Event:
    """A manager schedules an event (a draft until published). A room is booked
    through the room rules; a clash is refused with the clashing booking named."""
    _check_manager(actor, cluster)
    data = _normalise({**fields, "room": room})
    _validate_dates(data, cluster=cluster, start_changed=True)
    _validate(data)
    room = data.pop("room")
    event = Event(
        cluster=cluster, created_by=actor, **{k: data[k] for k in data if k in EDITABLE_FIELDS}
    )
    event.slug = unique_event_slug(event.title, event.start.astimezone(cluster.tzinfo))
    event.save()
    event.topics.set(topics)
    if room is not None:
        room_link.book(event=event, room=room, actor=actor)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, topics=None, room=..., **fields) -> Event:
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
    data = _normalise(data)
    _validate_dates(data, cluster=event.cluster, start_changed=data["start"] != before["start"])
    _validate(data)
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
    event.save()
    if topics is not None:
        event.topics.set(topics)
    if time_changed:
        _rearm_reminders(event)
    if event.capacity > 0 or event.online_capacity > 0:
        _promote_waitlisted(event)
    if logistics_changed and event.status == EventStatus.PUBLISHED:
        for reg in event.registrations.active().select_related("user"):
            notify(
                reg.user,
                template="events/email/event_changed",
                context={"event": event, "registration": reg, **_display(event)},
                url=event.get_absolute_url(),
                attachments=[_ics_attachment(event, reg)],
            )
    return event


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
    start_day = _local_day(event.start, event.cluster.tzinfo)
    if start_day is None or start_day > event_date_window(today)[1]:
        raise ActionError(
            _("This event cannot be published: %(why)s Change its date first.")
            % {"why": _window_error(today)}
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
                context={"event": event, "registration": reg, "reason": reason, **_display(event)},
                url=event.get_absolute_url(),
                attachments=[_ics_attachment(event, reg)],
            )
    return event


def _display(event: Event) -> dict:
    """Start and end in the cluster's time zone, for emails."""
    tz = event.cluster.tzinfo
    return {"local_start": event.start.astimezone(tz), "local_end": event.end.astimezone(tz)}


def _ics_attachment(event: Event, registration: Registration) -> tuple[str, str, str]:
    return (
        f"{event.slug}.ics",
        event_ics(event, registration=registration).decode(),
        "text/calendar",
    )


# Registration ---------------------------------------------------------------


def registration_create(*, actor, event: Event, seat_type: str = "") -> Registration:
    """Register `actor`: confirmed while seats of that type remain, else waitlisted
    (when the event has a waitlist), else refused."""
    try:
        with transaction.atomic():
            return _registration_create(actor=actor, event=event, seat_type=seat_type)
    except IntegrityError as exc:
        # Two clicks at once: the partial unique constraint keeps one registration.
        raise ActionError(_("You are already registered for this event.")) from exc


def _registration_create(*, actor, event: Event, seat_type: str) -> Registration:
    event = Event.objects.select_for_update().select_related("cluster").get(pk=event.pk)
    if not actor.has_perm("events.register", event):
        raise PermissionDenied
    if event.status == EventStatus.CANCELLED:
        raise ActionError(_("This event was cancelled."))
    now = timezone.now()
    if not event.registration_open_now(now):
        if event.registration_opens and now < event.registration_opens:
            raise ActionError(_("Registration is not open yet."))
        raise ActionError(_("Registration is closed."))
    seat_types = event.seat_types()
    if not seat_type:
        seat_type = seat_types[0]
    if seat_type not in seat_types:
        raise ActionError(_("This event has no seats of that type."), field="seat_type")
    if Registration.objects.active().filter(event=event, user=actor).exists():
        raise ActionError(_("You are already registered for this event."))
    confirmed = Registration.objects.confirmed().filter(event=event, seat_type=seat_type).count()
    if confirmed < event.capacity_for(seat_type):
        status = RegistrationStatus.CONFIRMED
    elif event.waitlist_enabled:
        status = RegistrationStatus.WAITLISTED
    else:
        raise ActionError(_("Sorry, this event is full and has no waitlist."))
    reg = Registration.objects.create(
        event=event,
        user=actor,
        seat_type=seat_type,
        status=status,
        created=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
    )
    if status == RegistrationStatus.CONFIRMED:
        notify(
            actor,
            template="events/email/registration_confirmed",
            context={"event": event, "registration": reg, **_display(event)},
            url=event.get_absolute_url(),
            attachments=[_ics_attachment(event, reg)],
        )
    else:
        from .selectors import waitlist_position

        notify(
            actor,
            template="events/email/registration_waitlisted",
            context={
                "event": event,
                "registration": reg,
                "position": waitlist_position(reg),
                **_display(event),
            },
            url=event.get_absolute_url(),
        )
    return reg


@transaction.atomic
def registration_cancel(*, actor, registration: Registration) -> Registration:
    """Cancel a registration at any time; a freed confirmed seat goes at once to the
    first person waiting for that seat type, who is told."""
    event = (
        Event.objects.select_for_update().select_related("cluster").get(pk=registration.event_id)
    )
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.user_id != actor.pk and not actor.has_perm("events.manage_event", event):
        raise PermissionDenied
    if not reg.is_active:
        raise ActionError(_("This registration is already cancelled."))
    was_confirmed = reg.status == RegistrationStatus.CONFIRMED
    reg.status = RegistrationStatus.CANCELLED
    reg.cancelled_at = timezone.now()
    reg.save(update_fields=["status", "cancelled_at"])
    ReminderDelivery.objects.filter(registration=reg, status=DeliveryStatus.CLAIMED).update(
        status=DeliveryStatus.SKIPPED
    )
    if was_confirmed and event.status == EventStatus.PUBLISHED:
        _promote_waitlisted(event, seat_types=[reg.seat_type])
    return reg


def _promote_waitlisted(event: Event, seat_types=None) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served, per seat type.
    The caller holds the event row lock."""
    if event.status != EventStatus.PUBLISHED or event.end <= timezone.now():
        return []
    promoted = []
    now = timezone.now()
    for seat_type in seat_types or event.seat_types():
        confirmed = (
            Registration.objects.confirmed().filter(event=event, seat_type=seat_type).count()
        )
        free = event.capacity_for(seat_type) - confirmed
        if free <= 0:
            continue
        waiting = list(
            Registration.objects.select_for_update()
            .filter(event=event, seat_type=seat_type, status=RegistrationStatus.WAITLISTED)
            .select_related("user")
            .order_by("id")[:free]
        )
        for reg in waiting:
            reg.status = RegistrationStatus.CONFIRMED
            reg.confirmed_at = now
            reg.promoted_at = now
            reg.save(update_fields=["status", "confirmed_at", "promoted_at"])
            notify(
                reg.user,
                template="events/email/registration_promoted",
                context={"event": event, "registration": reg, **_display(event)},
                url=event.get_absolute_url(),
                attachments=[_ics_attachment(event, reg)],
            )
            promoted.append(reg)
    return promoted


@transaction.atomic
def registration_set_attended(*, actor, registration: Registration, attended: bool) -> Registration:
    """Check a person in (or undo it) on the day."""
    reg = (
        Registration.objects.select_for_update()
        .select_related("event__cluster")
        .get(pk=registration.pk)
    )
    if not actor.has_perm("events.manage_event", reg.event):
        raise PermissionDenied
    if reg.status != RegistrationStatus.CONFIRMED:
        raise ActionError(_("Only confirmed registrants can be checked in."))
    reg.attended_at = timezone.now() if attended else None
    reg.save(update_fields=["attended_at"])
    return reg


def seat_type_label(seat_type: str) -> str:
    return SeatType(seat_type).label
