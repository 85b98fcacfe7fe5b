from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.base.audit import audit
from portal.base.confirm import confirmed
from portal.base.csv_export import csv_download
from portal.base.filtering import filter_results
from portal.base.permissions import (
    PermissionRequiredMixin,
    SignInWhenHiddenMixin,
    get_permitted_object_or_404,
)
from portal.base.views import REFUSED, run_action

from . import actions
from .enums import RegistrationStatus
from .filters import EventFilter
from .forms import CancelEventForm, EventForm, RegistrationForm
from .ics import event_ics
from .models import Event, Registration
from .selectors import (
    attendee_list,
    events_managed_by,
    events_visible_to,
    registration_for,
    registrations_of,
    waitlist_position,
    with_seat_counts,
)


def _event_for(user, perm: str, slug: str) -> Event:
    return get_permitted_object_or_404(
        user, perm, Event.objects.select_related("cluster", "room"), slug=slug
    )


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
        event = _event_for(user, "events.view_event", self.kwargs["slug"])
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
        return {
            **super().get_context_data(**kwargs),
            "event": event,
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
        event = _event_for(request.user, "events.view_event", slug)
        registration = registration_for(event, request.user)
        response = HttpResponse(
            event_ics(event, registration=registration), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response


class EventCreateView(PermissionRequiredMixin, FormView):
    template_name = "events/event_form.html"
    form_class = EventForm
    permission_required = "events.add_event"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        event = run_action(
            actions.event_create,
            errors_to=form,
            actor=self.request.user,
            cluster=form.cleaned_data["cluster"],
            **form.action_kwargs(),
        )
        if event is REFUSED:
            return self.form_invalid(form)
        messages.success(
            self.request, _("The event was saved as a draft. Publish it when it is ready.")
        )
        return redirect(event.get_absolute_url())


class EventUpdateView(LoginRequiredMixin, FormView):
    template_name = "events/event_form.html"
    form_class = EventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = _event_for(request.user, "events.manage_event", kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "event": self.event}

    def get_initial(self):
        return EventForm.initial_for(self.event)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.event}

    def form_valid(self, form):
        updated = run_action(
            actions.event_update,
            errors_to=form,
            actor=self.request.user,
            event=self.event,
            **form.action_kwargs(),
        )
        if updated is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The event was updated."))
        return redirect(self.event.get_absolute_url())


class EventPublishView(LoginRequiredMixin, View):
    def post(self, request, slug):
        event = _event_for(request.user, "events.manage_event", slug)
        published = run_action(
            actions.event_publish, errors_to=request, actor=request.user, event=event
        )
        if published is not REFUSED:
            messages.success(request, _("The event is published."))
        return redirect(event.get_absolute_url())


class EventCancelView(LoginRequiredMixin, FormView):
    template_name = "events/event_cancel.html"
    form_class = CancelEventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = _event_for(request.user, "events.manage_event", kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.event}

    def form_valid(self, form):
        cancelled = run_action(
            actions.event_cancel,
            errors_to=form,
            actor=self.request.user,
            event=self.event,
            reason=form.cleaned_data["reason"],
        )
        if cancelled is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The event is cancelled and its registrants were told."))
        return redirect(self.event.get_absolute_url())


class RegistrationCreateView(LoginRequiredMixin, View):
    def post(self, request, slug):
        event = _event_for(request.user, "events.view_event", slug)
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


class EventManageListView(PermissionRequiredMixin, TemplateView):
    """The manager's events: drafts, published and cancelled, with seat counts."""

    template_name = "events/event_manage.html"
    permission_required = "events.add_event"

    def get_context_data(self, **kwargs):
        qs = (
            with_seat_counts(events_managed_by(self.request.user))
            .select_related("cluster")
            .order_by("-start", "-id")
        )
        page = Paginator(qs, 30).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "events": page.object_list, "page_obj": page}


class MyRegistrationsView(LoginRequiredMixin, TemplateView):
    template_name = "events/registration_list.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "registrations": registrations_of(self.request.user),
        }


class AttendeeListView(LoginRequiredMixin, TemplateView):
    template_name = "events/attendee_list.html"

    def get_context_data(self, **kwargs):
        event = _event_for(self.request.user, "events.manage_event", self.kwargs["slug"])
        regs = list(attendee_list(event))
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "confirmed": [r for r in regs if r.status == RegistrationStatus.CONFIRMED],
            "waitlisted": sorted(
                (r for r in regs if r.status == RegistrationStatus.WAITLISTED),
                key=lambda r: (r.seat_type, r.position or 0),
            ),
        }


class AttendeeCsvView(LoginRequiredMixin, View):
    def get(self, request, slug):
        event = _event_for(request.user, "events.manage_event", slug)
        response, writer = csv_download(f"{event.slug}-attendees.csv")
        writer.writeheader(
            [
                _("Last name"),
                _("First name"),
                _("Email"),
                _("Organisation"),
                _("Seat"),
                _("Status"),
                _("Waitlist position"),
                _("Registered at"),
                _("Checked in at"),
            ]
        )
        tz = event.cluster.tzinfo
        for r in attendee_list(event):
            writer.writerow(
                [
                    r.user.last_name,
                    r.user.first_name,
                    r.user.email,
                    r.user.organisation.name if r.user.organisation else "",
                    r.get_seat_type_display(),
                    r.get_status_display(),
                    r.position if r.status == RegistrationStatus.WAITLISTED else "",
                    r.created.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                    r.attended_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
                    if r.attended_at
                    else "",
                ]
            )
        audit(
            request.user,
            "export",
            event,
            cluster_id=event.cluster_id,
            detail=f"attendee list CSV, {writer.rows} rows",
        )
        return response


class CheckInView(LoginRequiredMixin, TemplateView):
    """The check-in page for the day: big buttons, one tap per person."""

    template_name = "events/checkin.html"

    def get_context_data(self, **kwargs):
        event = _event_for(self.request.user, "events.manage_event", self.kwargs["slug"])
        regs = (
            event.registrations.confirmed()
            .select_related("user", "user__organisation")
            .order_by("user__last_name", "user__first_name", "id")
        )
        regs = list(regs)
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "registrations": regs,
            "checked_in": sum(1 for r in regs if r.attended_at),
        }


class CheckInToggleView(LoginRequiredMixin, View):
    def post(self, request, slug, pk):
        event = _event_for(request.user, "events.manage_event", slug)
        reg = get_object_or_404(Registration, pk=pk, event=event)
        attended = request.POST.get("attended") == "1"
        reg = run_action(
            actions.registration_set_attended,
            errors_to=request,
            actor=request.user,
            registration=reg,
            attended=attended,
        )
        if reg is REFUSED:
            return redirect("events:checkin", slug=slug)
        if request.htmx:
            return render(request, "events/_checkin_row.html", {"event": event, "r": reg})
        return redirect("events:checkin", slug=slug)
