"""The event manager's pages: create, edit, publish and cancel an event, the list of
one's events, the attendee list (and its CSV) and the check-in on the day."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.base.audit import audit
from portal.base.columns import columns_for
from portal.base.csv_export import csv_download
from portal.base.permissions import PermissionRequiredMixin
from portal.base.views import REFUSED, run_action

from .. import actions
from ..columns import ATTENDEE_COLUMNS
from ..enums import RegistrationStatus
from ..forms import CancelEventForm, EventForm
from ..models import Registration
from ..selectors import attendee_list, events_managed_by, with_seat_counts
from .access import event_for


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
            self.event = event_for(request.user, "events.manage_event", kwargs["slug"])
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
        event = event_for(request.user, "events.manage_event", slug)
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
            self.event = event_for(request.user, "events.manage_event", kwargs["slug"])
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


class AttendeeListView(LoginRequiredMixin, TemplateView):
    template_name = "events/attendee_list.html"

    def get_context_data(self, **kwargs):
        event = event_for(self.request.user, "events.manage_event", self.kwargs["slug"])
        regs = list(attendee_list(event))
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "confirmed": [r for r in regs if r.status == RegistrationStatus.CONFIRMED],
            "waitlisted": sorted(
                (r for r in regs if r.status == RegistrationStatus.WAITLISTED),
                key=lambda r: (r.seat_type, r.position or 0),
            ),
            "columns": columns_for(self.request.user, ATTENDEE_COLUMNS),
        }


class AttendeeCsvView(LoginRequiredMixin, View):
    def get(self, request, slug):
        event = event_for(request.user, "events.manage_event", slug)
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
        event = event_for(self.request.user, "events.manage_event", self.kwargs["slug"])
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
        event = event_for(request.user, "events.manage_event", slug)
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
