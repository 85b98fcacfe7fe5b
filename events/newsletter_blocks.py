"""The events' blocks for cluster mailings (clusters.newsletters.blocks): the
newsletters never import events, so events registers its blocks there from
EventsConfig.ready().

`[[block:upcoming_events]]` in a mailing becomes the cluster's next public and
network-wide events (never those for its members only: one block is rendered for
every recipient of the mailing), with dates in the cluster's time zone.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.newsletters.blocks import BlockOutput, register

from .selectors import upcoming_events_for_cluster

LIMIT = 5


def upcoming_events(*, cluster, language: str) -> BlockOutput:
    site = settings.SITE_URL.rstrip("/")
    with timezone.override(cluster.tzinfo):
        items = [
            {
                "event": event,
                "url": site + reverse("events:event_detail", args=[event.slug]),
                "start": timezone.localtime(event.start),
            }
            for event in upcoming_events_for_cluster(cluster, limit=LIMIT)
        ]
        context = {"items": items, "cluster": cluster}
        html = render_to_string("events/email/newsletter_upcoming.html", context)
        text = render_to_string("events/email/newsletter_upcoming.txt", context)
    return BlockOutput(html.strip(), text.strip())


def register_blocks() -> None:
    register("upcoming_events", _("Upcoming events"), upcoming_events)
