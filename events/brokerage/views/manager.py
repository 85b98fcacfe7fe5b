"""The event manager's meeting pages: settings, the schedule and its runs, the grid
and its CSV, a participant's agenda, locking meetings and publishing the agendas."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.base.audit import audit
from portal.base.confirm import confirmed
from portal.base.csv_export import csv_download
from portal.base.views import REFUSED, run_action

from .. import actions, selectors
from ..enums import AgendaStatus, MeetingRequestStatus
from ..forms import BrokerageSettingsForm
from ..models import Meeting, MeetingRequest, Participant, ScheduleRun
from .access import EventMixin, ManagerMixin


class BrokerageSettingsView(EventMixin, TemplateView):
    template_name = "brokerage/settings_form.html"
    permission_required = "brokerage.manage"

    def suggestion(self) -> int | None:
        if self.brokerage is None:
            return None
        expected = (
            Meeting.objects.filter(event=self.event).count()
            + MeetingRequest.objects.filter(
                event=self.event, status=MeetingRequestStatus.PENDING
            ).count()
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
        rows = selectors.grid(brokerage)
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(),
            "rows": rows,
            "marks": selectors.grid_marks(rows),
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
        ctx = {**super().get_context_data(**kwargs), **self.base_context()}
        return {
            **ctx,
            **selectors.agenda_page(participant, own=False, zone=ctx["tz"]),
            "participant": participant,
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
