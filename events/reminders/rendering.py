"""What a reminder says: rendered once per event, offset, language, seat type and
time zone (see events.reminder_mail), as an email and as an in-app notice."""

from __future__ import annotations

from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import ngettext

from portal.base.email_layout import brand_snapshot
from portal.base.notifications import render_plain
from portal.base.zones import own_zone

from ..enums import SeatType
from ..ics import event_ics
from ..reminder_mail import NAME_TEXT, PlaceholderPerson, ReminderTemplate


class Notice(NamedTuple):
    """The in-app notice of a reminder (a portal Notification row once sent)."""

    recipient_id: int
    subject: str
    body: str
    url: str


class Renderer:
    """Renders each kind of reminder once (see events.reminder_mail)."""

    def __init__(self):
        self._templates: dict[tuple, ReminderTemplate] = {}

    def template(self, delivery) -> ReminderTemplate:
        reg = delivery.registration
        language = reg.user.language or settings.LANGUAGE_CODE
        zone = own_zone(reg.user)
        key = (reg.event_id, delivery.offset_minutes, language, reg.seat_type, zone)
        if key not in self._templates:
            self._templates[key] = self._build(delivery, language, zone)
        return self._templates[key]

    def _build(self, delivery, language: str, zone: str) -> ReminderTemplate:
        reg = delivery.registration
        event = reg.event
        tz = event.cluster.tzinfo
        show_link = bool(event.online_link) and (
            reg.seat_type == SeatType.ONLINE or event.format == "online"
        )
        ctx = {
            "event": event,
            "registration": reg,
            "offset": delivery.offset_minutes,
            "local_start": event.start.astimezone(tz),
            "local_end": event.end.astimezone(tz),
            "online_link": event.online_link if show_link else "",
            "url": event.get_absolute_url(),
            "site_url": settings.SITE_URL,
            # Stands for every recipient of this template: same language and time zone.
            "recipient": PlaceholderPerson(NAME_TEXT, language, time_zone=zone),
        }
        with translation.override(language), timezone.override(ZoneInfo(zone) if zone else None):
            ctx["when"] = offset_text(delivery.offset_minutes)
            subject = " ".join(render_plain("events/email/reminder_subject.txt", ctx).split())
            body = render_plain("events/email/reminder.txt", ctx).strip()
        return ReminderTemplate(
            subject=subject[:250],
            body=body,
            url=ctx["url"],
            language=language,
            ics=event_ics(event, registration=reg),
            filename=f"{event.slug}.ics",
            brand=brand_snapshot(event.cluster),
        )

    def notice(self, delivery) -> Notice:
        t = self.template(delivery)
        return Notice(delivery.registration.user_id, t.subject, t.body, t.url)

    def message(self, delivery, connection):
        user = delivery.registration.user
        return self.template(delivery).email_for(
            name=user.display_name,
            email=user.email,
            ref=f"{delivery.registration_id}:{delivery.offset_minutes}",
            connection=connection,
        )


def offset_text(minutes: int) -> str:
    """'24 hours', '1 hour', '2 days', '30 minutes' in the active language."""
    if minutes % 1440 == 0 and minutes > 1440:
        n = minutes // 1440
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if minutes % 60 == 0:
        n = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
