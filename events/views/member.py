"""What everyone sees of events and what a member does with them: the list, an
event's page and .ics, registering and cancelling a registration, one's registrations."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from clusters.branding import brand_context
from portal.base.confirm import confirmed
from portal.base.filtering import filter_results
from portal.base.permissions import SignInWhenHiddenMixin
from portal.base.views import REFUSED, run_action

from .. import actions
from ..calendar_links import (
    google_calendar_url,
    map_search_url,
    online_still_free,
    outlook_calendar_url,
    seat_meters,
)
from ..enums import RegistrationStatus
from ..filters import EventFilter
from ..forms import RegistrationForm
from ..ics import event_ics
from ..models import Event, Registration
from ..selectors import (
    events_visible_to,
    registration_for,
    registrations_of,
    waitlist_position,
    with_seat_counts,
)
from .access import event_for


class EventListView(TemplateView):
    """Everyone's event list (what one may see), filtered with django-filter."""

    template_name = "events/event_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        user = self.request.user
        params = self.request.GET.copy()
        if not params.get("when"):
            params["when"] = "upcoming"
        qs = with_seat_counts(events_visible_to(user)).select_related("cluster")
        qs = qs.order_by("start", "id")
        filterset = EventFilter(params, queryset=qs)
        page = Paginator(filter_results(filterset), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        mine = {}
        if user.is_authenticated:
            mine = dict(
                Registration.objects.active()
                .filter(user=user, event_id__in=[e.pk for e in page.object_list])
                .values_list("event_id", "status")
            )
        for event in page.object_list:
            event.my_status = mine.get(event.pk, "")
        query = params.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            **brand_context(
                filterset.form.cleaned_data.get("cluster") if filterset.is_valid() else None
            ),
            "filter": filterset,
            "page_obj": page,
            "events": page.object_list,
            "querystring": query.urlencode(),
            "can_add": user.is_authenticated and user.has_perm("events.add_event"),
        }


class EventDetailView(SignInWhenHiddenMixin, TemplateView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        event = event_for(user, "events.view_event", self.kwargs["slug"])
        registration = registration_for(event, user)
        can_manage = user.is_authenticated and user.has_perm("events.manage_event", event)
        counts = with_seat_counts(Event.objects.filter(pk=event.pk)).values(
            "confirmed_in_person", "confirmed_online", "waitlisted_count"
        )[0]
        can_register = (
            registration is None
            and user.is_authenticated
            and event.registration_open_now()
            and user.has_perm("events.register", event)
        )
        meters = seat_meters(
            event,
            confirmed_in_person=counts["confirmed_in_person"],
            confirmed_online=counts["confirmed_online"],
        )
        page_url = self.request.build_absolute_uri(event.get_absolute_url())
        link_args = {
            "title": event.title,
            "start": event.start,
            "end": event.end,
            "details": "\n\n".join(filter(None, [event.description.strip()[:1000], page_url])),
            "location": event.place,
        }
        return {
            **super().get_context_data(**kwargs),
            **brand_context(event.cluster),
            "event": event,
            "page_url": page_url,
            "meters": meters,
            "online_still_free": online_still_free(meters),
            "google_url": google_calendar_url(**link_args),
            "outlook_url": outlook_calendar_url(**link_args),
            "map_url": map_search_url(event.address) if event.address and not event.room_id else "",
            "registration": registration,
            "position": waitlist_position(registration) if registration else None,
            "show_link": bool(event.online_link)
            and ((registration is not None and registration.is_confirmed) or can_manage),
            "can_manage": can_manage,
            "can_register": can_register,
            "register_form": RegistrationForm(event=event) if can_register else None,
            "counts": counts,
            "seats_left_in_person": max(event.capacity - counts["confirmed_in_person"], 0),
            "seats_left_online": max(event.online_capacity - counts["confirmed_online"], 0),
            "topics": list(event.topics.all()),
        }


class EventIcsView(SignInWhenHiddenMixin, View):
    """The event's .ics; the online link only for a confirmed registrant."""

    def get(self, request, slug):
        event = event_for(request.user, "events.view_event", slug)
        registration = registration_for(event, request.user)
        response = HttpResponse(
            event_ics(event, registration=registration), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response


class RegistrationCreateView(LoginRequiredMixin, View):
    def post(self, request, slug):
        event = event_for(request.user, "events.view_event", slug)
        form = RegistrationForm(request.POST, event=event)
        if not form.is_valid():
            messages.error(request, _("Please choose a seat."))
            return redirect(event.get_absolute_url())
        if not request.user.has_perm("events.register", event):
            messages.error(request, _("This event is not open to you."))
            return redirect(event.get_absolute_url())
        reg = run_action(
            actions.registration_create,
            errors_to=request,
            actor=request.user,
            event=event,
            seat_type=form.cleaned_data["seat_type"],
        )
        if reg is REFUSED:
            return redirect(event.get_absolute_url())
        if reg.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("You are registered. A confirmation is on its way."))
        else:
            messages.info(
                request,
                _("The event is full: you are number %(n)s on the waitlist.")
                % {"n": waitlist_position(reg)},
            )
        return redirect(event.get_absolute_url())


class RegistrationCancelView(LoginRequiredMixin, View):
    def post(self, request, pk):
        reg = get_object_or_404(Registration.objects.select_related("event__cluster"), pk=pk)
        is_manager = request.user.has_perm("events.manage_event", reg.event)
        if reg.user_id != request.user.pk and not is_manager:
            raise Http404
        if confirmed(request):
            cancelled = run_action(
                actions.registration_cancel, errors_to=request, actor=request.user, registration=reg
            )
            if cancelled is not REFUSED:
                messages.success(request, _("The registration is cancelled."))
        if is_manager and reg.user_id != request.user.pk:
            return redirect("events:attendee_list", slug=reg.event.slug)
        return redirect(reg.event.get_absolute_url())


class MyRegistrationsView(LoginRequiredMixin, TemplateView):
    template_name = "events/registration_list.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "registrations": registrations_of(self.request.user),
        }
