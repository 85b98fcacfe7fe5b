"""Time zones in templates: `{% load zones %}`.

    {% timezone request.user|shown_zone:event.cluster.time_zone %}
      {{ event.start|date:"H:i" }}{{ event.start|zone_mark:event.cluster.time_zone }}
    {% endtimezone %}

In emails the person is `recipient` instead of `request.user`.

Lists that mix clusters of several zones mark the zone also when it is not the
viewer's (`{% get_current_timezone as viewer_zone %}` before the list):

    {% zone_mark_for event.start event.cluster.time_zone viewer_zone %}
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from portal.base.zones import zone_for

register = template.Library()


@register.filter
def shown_zone(person, home_zone: str) -> str:
    """The person's own time zone when set, else `home_zone` (the cluster's)."""
    return zone_for(person, home_zone)


@register.filter
def zone_mark(value, home_zone: str) -> str:
    """ " CET" (the abbreviation of the active zone at `value`) when times are
    shown in another zone than `home_zone`, so nobody misreads them; else ""."""
    if not isinstance(value, datetime) or timezone.is_naive(value):
        return ""
    zone = timezone.get_current_timezone()
    if getattr(zone, "key", None) == home_zone:
        return ""
    name = value.astimezone(zone).tzname()
    return f" {name}" if name else ""


@register.simple_tag
def zone_mark_for(value, home_zone: str, viewer_zone: str) -> str:
    """`zone_mark`, and also when the active zone is not the viewer's: a visitor in
    Brussels sees an event hosted in Helsinki in Helsinki time, marked "EET"."""
    mark = zone_mark(value, home_zone)
    if mark or not isinstance(value, datetime) or timezone.is_naive(value):
        return mark
    zone = timezone.get_current_timezone()
    if getattr(zone, "key", None) == viewer_zone:
        return ""
    name = value.astimezone(zone).tzname()
    return f" {name}" if name else ""
