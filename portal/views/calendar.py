"""The personal calendar feed: one secret URL with a person's bookings, events and
brokerage meetings, for any calendar application to subscribe to."""

from importlib import import_module

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from clusters.models import User
from portal.base.ics import ics_calendar
from portal.base.tokens import new_token

# Each source is a function (user) -> list[icalendar.Event].
CALENDAR_SOURCES = [
    "services.rooms.selectors.calendar_items_for",
    "events.selectors.calendar_items_for",
    "events.brokerage.selectors.calendar_items_for",
]


def _source(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)


def calendar_feed(request, token: str):
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404
    items = []
    for path in CALENDAR_SOURCES:
        items.extend(_source(path)(user))
    body = ics_calendar(items, name=_("Biocluster portal: %(name)s") % {"name": user.display_name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="portal.ics"'
    return response


class CalendarTokenResetView(LoginRequiredMixin, View):
    """A new secret URL; the old one stops working at once."""

    def post(self, request):
        request.user.calendar_token = new_token()
        request.user.save(update_fields=["calendar_token"])
        messages.success(request, _("Your calendar link was renewed. Update your calendar app."))
        return redirect(request.POST.get("next") or "dashboard")
