from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from events.enums import EventKind, RegistrationStatus
from events.models import Event
from events.selectors import events_managed_by
from portal.base.audit import audit
from portal.base.confirm import confirmed
from portal.base.csv_export import csv_download
from portal.base.filtering import filter_results
from portal.base.permissions import get_permitted_object_or_404
from portal.base.views import REFUSED, run_action
from portal.base.zones import zone_for

from . import actions, selectors
from .enums import AgendaStatus, RequestStatus
from .filters import ParticipantFilter
from .forms import BrokerageSettingsForm, FeedbackForm, MeetingRequestForm, ParticipantForm
from .models import Meeting, MeetingRequest, Participant, ScheduleRun


def _event_for(user, perm: str, slug: str) -> Event:
    return get_permitted_object_or_404(
        user, perm, Event.objects.select_related("cluster", "brokerage"), slug=slug
    )


class EventMixin(LoginRequiredMixin):
    """Loads `self.event` (by slug) and checks `permission_required` on it: 404 if not."""

    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = _event_for(request.user, self.permission_required, kwargs["slug"])
        self.brokerage = getattr(self.event, "brokerage", None)
        return super().dispatch(request, *args, **kwargs)

    def base_context(self) -> dict:
        user = self.request.user
        return {
            "event": self.event,
            "brokerage": self.brokerage,
            "cluster": self.event.cluster,
            # Times shown in the person's zone (else the cluster's); forms keep the cluster's.
            "tz": zone_for(user, self.event.cluster.time_zone),
            "cluster_tz": self.event.cluster.time_zone,
            "is_manager": user.has_perm("brokerage.manage", self.event),
            "is_participant": Participant.objects.filter(event=self.event, user=user).exists(),
        }


class ParticipantRequiredMixin(EventMixin):
    permission_required = "brokerage.participate"

    def get_participant(self) -> Participant | None:
        return selectors.participant_for(self.event, self.request.user)


# ---------------------------------------------------------------------------
# Participant pages


class MyMeetingsView(LoginRequiredMixin, TemplateView):
    """'My meetings': the events whose meetings one takes part in, or could join;
    for managers also the brokerage events of their clusters."""

    template_name = "brokerage/my_meetings.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        joined = list(selectors.participations_of(user))
        joined_ids = {p.event_id for p in joined}
        open_events = (
            Event.objects.filter(
                brokerage__isnull=False,
                registrations__user=user,
                registrations__status=RegistrationStatus.CONFIRMED,
            )
            .exclude(pk__in=joined_ids)
            .select_related("cluster")
            .distinct()
            .order_by("start")
        )
        managed = []
        if user.managed_cluster_ids or user.is_network_admin:
            managed = list(
                events_managed_by(user)
                .filter(Q(kind=EventKind.BROKERAGE) | Q(brokerage__isnull=False))
                .select_related("cluster", "brokerage")
                .order_by("-start")[:50]
            )
        return {
            **super().get_context_data(**kwargs),
            "participations": joined,
            "open_events": list(open_events),
            "managed": managed,
        }


class BrokerageHomeView(EventMixin, TemplateView):
    """The event's meetings page: what to do next, for a participant or a manager."""

    template_name = "brokerage/brokerage_detail.html"
    permission_required = "brokerage.view_home"

    def get_context_data(self, **kwargs):
        ctx = {**super().get_context_data(**kwargs), **self.base_context()}
        participant = selectors.participant_for(self.event, self.request.user)
        ctx["participant"] = participant
        ctx["can_participate"] = self.request.user.has_perm("brokerage.participate", self.event)
        if participant is not None:
            ctx["agenda"] = selectors.agenda_of(participant)
            ctx["requests"] = selectors.requests_of(participant)
        return ctx


class ParticipantProfileView(ParticipantRequiredMixin, TemplateView):
    template_name = "brokerage/participant_form.html"

    def get_form(self, data=None):
        participant = self.get_participant()
        initial = ParticipantForm.initial_for(
            participant, user=self.request.user, brokerage=self.brokerage
        )
        zone = zone_for(self.request.user, self.event.cluster.time_zone)
        form = ParticipantForm(data, brokerage=self.brokerage, initial=initial, zone=zone)
        return form, participant

    def get(self, request, *args, **kwargs):
        form, participant = self.get_form()
        return self.render(form, participant)

    def render(self, form, participant):
        return self.render_to_response(
            {**self.base_context(), "form": form, "participant": participant}
        )

    def post(self, request, *args, **kwargs):
        form, participant = self.get_form(request.POST)
        if form.is_valid():
            saved = run_action(
                actions.participant_save,
                errors_to=form,
                actor=request.user,
                event=self.event,
                offers=form.cleaned_data["offers"],
                requests=form.cleaned_data["requests"],
                topics=form.cleaned_data["topics"],
                available_slots=form.cleaned_data["availability"],
            )
            if saved is not REFUSED:
                messages.success(request, _("Your cooperation profile is saved."))
                return redirect("brokerage:participant_list", self.event.slug)
        return self.render(form, participant)


class ParticipantListView(EventMixin, TemplateView):
    template_name = "brokerage/participant_list.html"
    permission_required = "brokerage.view_participants"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        me = selectors.participant_for(self.event, self.request.user)
        suggested = selectors.suggested_organisation_ids(me)
        filterset = ParticipantFilter(
            self.request.GET or None,
            queryset=selectors.participant_list(self.event),
            suggested_org_ids=suggested,
        )
        page = Paginator(filter_results(filterset), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        status = selectors.partner_status(me) if me else {}
        for p in page.object_list:
            p.relation = status.get(p.pk, "")
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "me": me,
            "filter": filterset,
            "page_obj": page,
            "participants": page.object_list,
            "querystring": query.urlencode(),
            "suggested_org_ids": suggested,
        }


class ParticipantDetailView(EventMixin, TemplateView):
    template_name = "brokerage/participant_detail.html"
    permission_required = "brokerage.view_participants"

    def get_context_data(self, **kwargs):
        other = get_object_or_404(selectors.participant_list(self.event), pk=self.kwargs["pk"])
        me = selectors.participant_for(self.event, self.request.user)
        relation = selectors.partner_status(me).get(other.pk, "") if me else ""
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "other": other,
            "me": me,
            "relation": relation,
            "form": kwargs.get("form") or MeetingRequestForm(),
            "can_request": me is not None and me.pk != other.pk and not relation,
        }


class MeetingRequestCreateView(ParticipantRequiredMixin, View):
    def post(self, request, slug: str, pk: int):
        other = get_object_or_404(Participant.objects.filter(event=self.event), pk=pk)
        form = MeetingRequestForm(request.POST)
        if form.is_valid():
            sent = run_action(
                actions.meeting_request_create,
                errors_to=request,
                actor=request.user,
                event=self.event,
                to_participant=other,
                message=form.cleaned_data["message"],
            )
            if sent is not REFUSED:
                if self.brokerage.requires_acceptance:
                    messages.success(request, _("Your request was sent."))
                else:
                    messages.success(request, _("The meeting is booked."))
                return redirect("brokerage:request_list", self.event.slug)
        view = ParticipantDetailView()
        view.setup(request, slug=slug, pk=pk)
        view.event, view.brokerage = self.event, self.brokerage
        return render(request, view.template_name, view.get_context_data(form=form))


class RequestListView(ParticipantRequiredMixin, TemplateView):
    template_name = "brokerage/request_list.html"

    def get_context_data(self, **kwargs):
        participant = self.get_participant()
        if participant is None:
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "participant": participant,
            "requests": selectors.requests_of(participant),
        }


class RequestDecideView(LoginRequiredMixin, View):
    ACTIONS = {
        "accept": actions.meeting_request_accept,
        "decline": actions.meeting_request_decline,
        "cancel": actions.meeting_request_cancel,
    }

    def post(self, request, pk: int, decision: str):
        if decision not in self.ACTIONS:
            raise Http404
        meeting_request = get_permitted_object_or_404(
            request.user,
            "brokerage.view_request",
            MeetingRequest.objects.select_related("event", "from_participant", "to_participant"),
            pk=pk,
        )
        decided = run_action(
            self.ACTIONS[decision],
            errors_to=request,
            actor=request.user,
            meeting_request=meeting_request,
        )
        if decided is not REFUSED:
            messages.success(
                request,
                {
                    "accept": _("The meeting is agreed."),
                    "decline": _("The request was declined."),
                    "cancel": _("Your request was withdrawn."),
                }[decision],
            )
        return redirect("brokerage:request_list", meeting_request.event.slug)


class AgendaView(ParticipantRequiredMixin, TemplateView):
    template_name = "brokerage/agenda.html"

    def get_context_data(self, **kwargs):
        participant = self.get_participant()
        if participant is None:
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "participant": participant,
            "agenda": selectors.agenda_of(participant),
            "own": True,
        }


class AgendaIcsView(ParticipantRequiredMixin, View):
    def get(self, request, slug: str):
        participant = self.get_participant()
        if participant is None or not self.brokerage.is_published:
            raise Http404
        response = HttpResponse(
            selectors.agenda_ics(participant), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.event.slug}-meetings.ics"'
        return response


class MeetingCancelView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        meeting = get_permitted_object_or_404(
            request.user,
            "brokerage.give_feedback",
            Meeting.objects.select_related("event", "a", "b"),
            pk=pk,
        )
        if not confirmed(request):
            return redirect("brokerage:agenda", meeting.event.slug)
        cancelled = run_action(
            actions.meeting_cancel, errors_to=request, actor=request.user, meeting=meeting
        )
        if cancelled is not REFUSED:
            messages.success(request, _("The meeting is called off and your partner was told."))
        return redirect("brokerage:agenda", meeting.event.slug)


class MeetingFeedbackView(LoginRequiredMixin, TemplateView):
    template_name = "brokerage/meeting_feedback.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = get_permitted_object_or_404(
            request.user,
            "brokerage.give_feedback",
            Meeting.objects.select_related(
                "event__cluster", "slot", "a__user", "b__user", "a__organisation", "b__organisation"
            ),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def context(self, form):
        me = self.meeting.a if self.meeting.a.user_id == self.request.user.pk else self.meeting.b
        return {
            "meeting": self.meeting,
            "partner": self.meeting.partner_of(me),
            "event": self.meeting.event,
            "tz": zone_for(self.request.user, self.meeting.event.cluster.time_zone),
            "form": form,
        }

    def get(self, request, *args, **kwargs):
        m = self.meeting
        initial = {}
        if m.held is not None:
            initial = {
                "held": "yes" if m.held else "no",
                "usefulness": m.usefulness,
                "follow_up": m.follow_up,
            }
        return self.render_to_response(self.context(FeedbackForm(initial=initial)))

    def post(self, request, *args, **kwargs):
        form = FeedbackForm(request.POST)
        if form.is_valid():
            saved = run_action(
                actions.meeting_feedback_save,
                errors_to=form,
                actor=request.user,
                meeting=self.meeting,
                **form.cleaned_data,
            )
            if saved is not REFUSED:
                messages.success(request, _("Thank you for your feedback."))
                return redirect("brokerage:agenda", self.meeting.event.slug)
        return self.render_to_response(self.context(form))


# ---------------------------------------------------------------------------
# Manager pages


class BrokerageSettingsView(EventMixin, TemplateView):
    template_name = "brokerage/settings_form.html"
    permission_required = "brokerage.manage"

    def suggestion(self) -> int | None:
        if self.brokerage is None:
            return None
        expected = (
            Meeting.objects.filter(event=self.event).count()
            + MeetingRequest.objects.filter(event=self.event, status=RequestStatus.PENDING).count()
        )
        slots = self.brokerage.slots.count()
        return actions.suggested_tables(expected, slots) if expected and slots else None

    def make_form(self, data=None):
        initial = BrokerageSettingsForm.initial_for(self.brokerage) if self.brokerage else {}
        return BrokerageSettingsForm(
            data, event=self.event, initial=initial, suggestion=self.suggestion()
        )

    def render(self, form):
        return self.render_to_response({**self.base_context(), "form": form})

    def get(self, request, *args, **kwargs):
        return self.render(self.make_form())

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            configured = run_action(
                actions.brokerage_configure,
                errors_to=form,
                actor=request.user,
                event=self.event,
                **form.action_kwargs(),
            )
            if configured is not REFUSED:
                messages.success(request, _("The meeting settings are saved."))
                return redirect("brokerage:schedule", self.event.slug)
        return self.render(form)


class ManagerMixin(EventMixin):
    permission_required = "brokerage.manage"

    def get_brokerage_or_404(self):
        if self.brokerage is None:
            raise Http404
        return self.brokerage


class ScheduleView(ManagerMixin, TemplateView):
    template_name = "brokerage/schedule.html"

    def get(self, request, *args, **kwargs):
        if self.brokerage is None:
            return redirect("brokerage:settings", self.event.slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "run": selectors.latest_run(self.event),
            "stats": selectors.live_stats(self.brokerage),
            "slots": self.brokerage.slots.count(),
            "AgendaStatus": AgendaStatus,
        }


class ScheduleRunStartView(ManagerMixin, View):
    def post(self, request, slug: str):
        brokerage = self.get_brokerage_or_404()
        # Once the final agendas are out, a re-run moves meetings and emails everyone
        # whose meeting moved: the manager ticks a box first.
        if brokerage.agenda_status == AgendaStatus.FINAL and not confirmed(
            request,
            refusal=_(
                "Nothing was changed: the final agendas are published. Tick the box to"
                " confirm that meetings may move and their participants are emailed."
            ),
        ):
            return redirect("brokerage:schedule", slug)
        run = run_action(
            actions.schedule_run_start, errors_to=request, actor=request.user, event=self.event
        )
        if run is not REFUSED:
            messages.success(request, _("The scheduler has started."))
        return redirect("brokerage:schedule", slug)


class ScheduleRunProgressView(ManagerMixin, View):
    """The htmx partial polled every second while a run is queued or running."""

    def get(self, request, slug: str, pk: int):
        brokerage = self.get_brokerage_or_404()
        run = get_object_or_404(ScheduleRun.objects.filter(event=self.event), pk=pk)
        ctx = {**self.base_context(), "run": run}
        if not run.is_active:
            ctx["stats"] = selectors.live_stats(brokerage)
        return render(request, "brokerage/_run_progress.html", ctx)


class ScheduleGridView(ManagerMixin, TemplateView):
    template_name = "brokerage/schedule_grid.html"

    def get_context_data(self, **kwargs):
        brokerage = self.get_brokerage_or_404()
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "rows": selectors.grid(brokerage),
            "tables": range(1, brokerage.tables + 1),
        }


class ScheduleCsvView(ManagerMixin, View):
    def get(self, request, slug: str):
        brokerage = self.get_brokerage_or_404()
        tz = self.event.cluster.tzinfo
        response, writer = csv_download(f"{slug}-meetings.csv")
        writer.writeheader(
            [
                _("Slot"),
                _("Start"),
                _("End"),
                _("Table"),
                _("Participant A"),
                _("Organisation A"),
                _("Participant B"),
                _("Organisation B"),
                _("Locked"),
                _("Why not scheduled"),
            ]
        )
        for m in selectors.scheduled_meetings(brokerage):
            row = ["", "", "", ""]
            if m.slot_id:
                row = [
                    m.slot.index + 1,
                    f"{m.slot.start.astimezone(tz):%Y-%m-%d %H:%M}",
                    f"{m.slot.end.astimezone(tz):%H:%M}",
                    m.table,
                ]
            for p in (m.a, m.b):
                row += [p.user.display_name, p.organisation.name if p.organisation_id else ""]
            row += [
                _("yes") if m.locked else "",
                m.get_unscheduled_reason_display() if not m.slot_id else "",
            ]
            writer.writerow(row)
        audit(
            request.user,
            "export",
            self.event,
            cluster_id=self.event.cluster_id,
            detail=f"meeting schedule CSV, {writer.rows} rows",
        )
        return response


class ParticipantAgendaView(ManagerMixin, TemplateView):
    template_name = "brokerage/agenda.html"

    def get_context_data(self, **kwargs):
        self.get_brokerage_or_404()
        participant = get_object_or_404(
            Participant.objects.filter(event=self.event).select_related("user", "organisation"),
            pk=self.kwargs["pk"],
        )
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "participant": participant,
            "agenda": selectors.agenda_of(participant),
            "own": False,
        }


class MeetingLockView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        meeting = get_object_or_404(Meeting.objects.select_related("event__cluster"), pk=pk)
        if not request.user.has_perm("brokerage.manage", meeting.event):
            raise Http404
        run_action(
            actions.meeting_set_locked,
            errors_to=request,
            actor=request.user,
            meeting=meeting,
            locked=request.POST.get("locked") == "1",
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("brokerage:grid", args=[meeting.event.slug])
        return redirect(target)


class AgendaPublishView(ManagerMixin, View):
    def post(self, request, slug: str):
        self.get_brokerage_or_404()
        status = request.POST.get("status", "")
        if status == AgendaStatus.FINAL and not confirmed(
            request, refusal=_("Nothing was published: tick the box to confirm first.")
        ):
            return redirect("brokerage:schedule", slug)
        published = run_action(
            actions.agenda_publish,
            errors_to=request,
            actor=request.user,
            event=self.event,
            status=status,
        )
        if published is not REFUSED:
            messages.success(
                request, _("The agendas are published and every participant was told.")
            )
        return redirect("brokerage:schedule", slug)
