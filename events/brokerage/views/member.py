"""A participant's meeting pages: 'My meetings', an event's meetings page, the
cooperation profile, the participant list, requests, the agenda, calling a meeting off
and feedback."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from events.enums import EventKind, RegistrationStatus
from events.models import Event
from events.selectors import events_managed_by
from portal.base.confirm import confirmed
from portal.base.filtering import filter_results
from portal.base.permissions import get_permitted_object_or_404
from portal.base.views import REFUSED, run_action
from portal.base.zones import zone_for

from .. import actions, selectors
from ..filters import ParticipantFilter
from ..forms import FeedbackForm, MeetingRequestForm, ParticipantForm
from ..models import Meeting, MeetingRequest, Participant
from .access import EventMixin, ParticipantRequiredMixin


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
        form = ParticipantForm(
            data,
            brokerage=self.brokerage,
            initial=initial,
            zone=zone,
            busy=selectors.busy_slot_ids(participant),
        )
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
        status = selectors.partner_status(me) if me else {}
        filterset = ParticipantFilter(
            self.request.GET or None,
            queryset=selectors.participant_list(self.event),
            suggested_org_ids=suggested,
            contacted_ids=set(status) if me else None,
            me_id=me.pk if me else None,
        )
        cards = filter_results(filterset).only(*selectors.PARTICIPANT_CARD)
        page = Paginator(cards, self.paginate_by).get_page(self.request.GET.get("page"))
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
            "request_form": MeetingRequestForm(),
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
        ctx = {**super().get_context_data(**kwargs), **self.base_context()}
        return {
            **ctx,
            **selectors.agenda_page(participant, own=True, zone=ctx["tz"]),
            "participant": participant,
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
