"""Registration and the waitlist: register (confirmed or waitlisted), cancel (the
freed seat goes to the first in line), check in on the day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.base.errors import ActionError
from portal.base.notifications import notify

from ..enums import DeliveryStatus, EventStatus, RegistrationStatus, SeatType
from ..models import Event, Registration, ReminderDelivery
from .email_parts import ics_attachment, local_times

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


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
            context={"event": event, "registration": reg, **local_times(event)},
            url=event.get_absolute_url(),
            cluster=event.cluster,
            attachments=[ics_attachment(event, reg)],
        )
    else:
        from ..selectors import waitlist_position

        notify(
            actor,
            template="events/email/registration_waitlisted",
            context={
                "event": event,
                "registration": reg,
                "position": waitlist_position(reg),
                **local_times(event),
            },
            url=event.get_absolute_url(),
            cluster=event.cluster,
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
        promote_waitlisted(event, seat_types=[reg.seat_type])
    return reg


def promote_waitlisted(event: Event, seat_types=None) -> list[Registration]:
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
                context={"event": event, "registration": reg, **local_times(event)},
                url=event.get_absolute_url(),
                cluster=event.cluster,
                attachments=[ics_attachment(event, reg)],
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


def seat_type_label(seat_type: str) -> StrPromise:
    """The seat type's label, translated when it is rendered."""
    return SeatType(seat_type).label
