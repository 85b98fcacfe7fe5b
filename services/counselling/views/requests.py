"""Counselling requests: submit, follow, work the queue, talk, rate, download files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.base.audit import audit
from portal.base.csv_export import csv_download
from portal.base.errors import ActionError
from portal.base.filtering import filter_problems, filter_results
from portal.base.permissions import (
    MemberRequiredMixin,
    PermissionRequiredMixin,
    get_permitted_object_or_404,
)
from services.catalogue.models import ServiceOffering

from .. import workflow
from ..actions import request_message_post, request_move, request_rate, request_submit
from ..enums import RequestStatus
from ..filters import QueueFilter
from ..forms import MessageForm, MoveForm, RateForm, RequestForm
from ..held_uploads import HeldUploads, hold_after_error
from ..models import RequestAttachment
from ..rules import request_roles
from ..selectors import (
    queue_for,
    request_attachments,
    request_detail_qs,
    requests_assigned_to,
    requests_of_organisation,
    timeline,
)

PAGE_SIZE = 50


def _mark_overdue(rows):
    today = timezone.now().date()
    for r in rows:
        r.overdue = r.is_overdue(today)
    return rows


class RequestCreateView(MemberRequiredMixin, PermissionRequiredMixin, FormView):
    """Pending applicants are sent to their membership status, as on other member pages."""

    template_name = "services/request_create.html"
    form_class = RequestForm
    permission_required = "services.submit_request"

    def dispatch(self, request, *args, **kwargs):
        self.held = HeldUploads(request, "request_create")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.held.release()  # a fresh form: files kept from an abandoned try go
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "held": self.held}

    def form_invalid(self, form):
        hold_after_error(self.held, form, self.request)
        return super().form_invalid(form)

    def get_initial(self):
        initial = super().get_initial()
        offering_id = self.request.GET.get("offering", "")
        if offering_id.isdigit():
            offering = ServiceOffering.objects.filter(
                pk=offering_id, is_active=True, cluster_id__in=self.request.user.active_cluster_ids
            ).first()
            if offering:
                initial.update(
                    offering=offering.pk, cluster=offering.cluster_id, category=offering.category_id
                )
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            req = request_submit(
                actor=self.request.user,
                cluster=data["cluster"],
                offering=data["offering"],
                category=data["category"],
                subject=data["subject"],
                details=data["details"],
                urgency=data["urgency"],
                preferred_format=data["preferred_format"],
                attachments=data["attachments"],
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        self.held.release()
        messages.success(
            self.request,
            _("Your request %(ref)s was sent. We emailed you a confirmation.")
            % {"ref": req.reference},
        )
        return redirect("services:request_detail", pk=req.pk)


class _RequestList(LoginRequiredMixin, TemplateView):
    template_name = "services/request_list.html"
    box = ""

    def get_queryset(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        page = Paginator(self.get_queryset(), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "box": self.box,
            "page_obj": page,
            "requests": _mark_overdue(list(page.object_list)),
            "querystring": "",
        }


class RequestListView(_RequestList):
    """The requests of the person's organisation."""

    box = "organisation"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.organisation_id:
            if request.user.has_perm("services.view_assigned"):
                return redirect("services:assigned")
            raise Http404
        if request.user.is_authenticated and not request.user.is_approved_member:
            return redirect("clusters:application_status")  # a pending applicant
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return requests_of_organisation(self.request.user)


class AssignedListView(PermissionRequiredMixin, _RequestList):
    box = "assigned"
    permission_required = "services.view_assigned"

    def get_queryset(self):
        return requests_assigned_to(self.request.user).exclude(
            status__in=[RequestStatus.CLOSED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN]
        )


class QueueView(PermissionRequiredMixin, TemplateView):
    """The manager's queue: every request of their clusters, filterable."""

    template_name = "services/request_queue.html"
    partial_template_name = "services/_queue_results.html"
    permission_required = "services.view_queue"

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            return [self.partial_template_name]
        return [self.template_name]

    def filterset(self):
        user = self.request.user
        return QueueFilter(
            self.request.GET,
            queryset=queue_for(user),
            cluster_ids=None if user.is_network_admin else user.managed_cluster_ids,
        )

    def get_context_data(self, **kwargs):
        filterset = self.filterset()
        page = Paginator(filter_results(filterset), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "requests": _mark_overdue(list(page.object_list)),
            "querystring": params.urlencode(),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _hours(delta) -> str:
    return "" if delta is None else f"{delta.total_seconds() / 3600:.1f}"


EXPORT_HEADER = [
    "reference",
    "cluster",
    "organisation",
    "requested by",
    "category",
    "service",
    "subject",
    "urgency",
    "preferred format",
    "status",
    "advisor",
    "submitted",
    "due date",
    "first response",
    "resolved",
    "closed",
    "response time (hours)",
    "resolution time (hours)",
    "satisfaction",
    "satisfaction comment",
    "outcome",
]


class QueueExportView(QueueView):
    """The filtered queue as CSV. Requests only: no messages, so no internal notes."""

    def get(self, request, *args, **kwargs):
        filterset = self.filterset()
        problems = filter_problems(filterset)
        if problems:  # a download cannot show the message beside the field
            return HttpResponseBadRequest(
                "\n".join(str(p) for p in problems), content_type="text/plain; charset=utf-8"
            )
        stamp = timezone.now().date().isoformat()
        response, writer = csv_download(f"requests-{stamp}.csv")
        writer.writeheader(EXPORT_HEADER)
        clusters = set()
        for r in filterset.qs.iterator(chunk_size=500):
            clusters.add(r.cluster)
            row = [
                r.reference,
                r.cluster.name,
                r.requester_organisation.name,
                r.requester.display_name if r.requester else "",
                r.category.name,
                r.offering.title if r.offering else "",
                r.subject,
                r.get_urgency_display(),
                r.get_preferred_format_display(),
                r.get_status_display(),
                r.assignee.display_name if r.assignee else "",
                r.created.isoformat(),
                r.due_date.isoformat(),
                r.first_response_at.isoformat() if r.first_response_at else "",
                r.resolved_at.isoformat() if r.resolved_at else "",
                r.closed_at.isoformat() if r.closed_at else "",
                _hours(r.response_time),
                _hours(r.resolution_time),
                r.satisfaction or "",
                r.satisfaction_comment,
                r.outcome,
            ]
            writer.writerow(row)
        query = request.GET.urlencode() or "no filters"
        for cluster in sorted(clusters, key=lambda c: c.pk):
            audit(
                request.user,
                "export",
                cluster,
                cluster_id=cluster.pk,
                detail=f"request queue CSV ({query}), {writer.rows} rows",
            )
        return response


def _get_request(user, pk):
    if not user.is_authenticated:
        raise Http404
    return get_permitted_object_or_404(user, "services.view_request", request_detail_qs(), pk=pk)


def _detail_context(user, req, *, message_form=None, move_errors=None, rate_form=None):
    roles = request_roles(user, req)
    staff = bool(roles & {"manager", "advisor"})
    now = timezone.now()
    moves = [
        m
        for m in workflow.available_moves(req.status, roles, resolved_at=req.resolved_at, now=now)
        if m.name != "resume" or "member" not in roles or staff
    ]
    can_ask = "advisor" in roles and req.status == RequestStatus.IN_PROGRESS
    return {
        "req": req,
        "cluster": req.cluster,
        "roles": roles,
        "staff": staff,
        "timeline": timeline(req, include_internal=staff),
        "files": request_attachments(req),
        "moves": moves,
        "move_form": MoveForm(request_obj=req, user=user, initial={"expected_status": req.status}),
        "move_errors": move_errors or [],
        "can_write": req.status not in workflow.FINAL,
        "message_form": message_form or MessageForm(staff=staff, can_ask=can_ask),
        "can_rate": "member" in roles
        and req.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED)
        and req.satisfaction is None,
        "rate_form": rate_form or RateForm(),
        "overdue": req.is_overdue(),
    }


class RequestDetailView(LoginRequiredMixin, View):
    """Signed out (e.g. from a notification email): to the login page and back;
    any id redirects alike, so nothing is revealed. Signed in: 404 unless allowed."""

    template_name = "services/request_detail.html"

    def get(self, request, pk):
        req = _get_request(request.user, pk)
        if req.requester_organisation_id != request.user.organisation_id:
            audit(request.user, "view", req, cluster_id=req.cluster_id)
        return render(request, self.template_name, _detail_context(request.user, req))


class RequestMoveView(View):
    def post(self, request, pk, move):
        req = _get_request(request.user, pk)
        if move not in workflow.MOVES:
            raise Http404
        form = MoveForm(request.POST, request_obj=req, user=request.user)
        form.is_valid()
        data = form.cleaned_data
        try:
            request_move(
                actor=request.user,
                request_id=req.pk,
                move=move,
                note=data.get("note", ""),
                assignee=data.get("assignee"),
                expected_status=data.get("expected_status") or None,
            )
        except ActionError as exc:
            req.refresh_from_db()
            ctx = _detail_context(request.user, req, move_errors=[exc.message])
            return render(request, "services/request_detail.html", ctx, status=409)
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.success(request, _("Done: the request is now “%(s)s”.") % {"s": _status_label(pk)})
        return redirect("services:request_detail", pk=pk)


def _status_label(pk) -> str:
    from ..models import CounsellingRequest

    return CounsellingRequest.objects.get(pk=pk).get_status_display()


class RequestMessageView(View):
    def post(self, request, pk):
        req = _get_request(request.user, pk)
        roles = request_roles(request.user, req)
        staff = bool(roles & {"manager", "advisor"})
        can_ask = "advisor" in roles and req.status == RequestStatus.IN_PROGRESS
        held = HeldUploads(request, f"message:{req.pk}")
        form = MessageForm(request.POST, request.FILES, staff=staff, can_ask=can_ask, held=held)
        if form.is_valid():
            try:
                request_message_post(
                    actor=request.user,
                    request_id=req.pk,
                    body=form.cleaned_data["body"],
                    internal=form.cleaned_data.get("internal", False),
                    attachments=form.cleaned_data["attachments"],
                    wait_for_member=form.cleaned_data.get("wait_for_member", False),
                )
            except ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                held.release()
                messages.success(request, _("Your message was sent."))
                return redirect("services:request_detail", pk=pk)
        hold_after_error(held, form, request)
        ctx = _detail_context(request.user, req, message_form=form)
        return render(request, "services/request_detail.html", ctx)


class RequestRateView(View):
    def post(self, request, pk):
        req = _get_request(request.user, pk)
        if not request.user.has_perm("services.rate_request", req):
            raise Http404
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                request_rate(
                    actor=request.user,
                    request_id=req.pk,
                    satisfaction=form.cleaned_data["satisfaction"],
                    comment=form.cleaned_data["comment"],
                )
            except ActionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you for your rating."))
                return redirect("services:request_detail", pk=pk)
        ctx = _detail_context(request.user, req, rate_form=form)
        return render(request, "services/request_detail.html", ctx)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Files are only ever served here, after the permission check, as downloads."""

    def get(self, request, pk):
        attachment = get_object_or_404(
            RequestAttachment.objects.select_related("request", "message"), pk=pk
        )
        if not request.user.has_perm("services.view_attachment", attachment):
            raise Http404
        if attachment.request.requester_organisation_id != request.user.organisation_id:
            audit(
                request.user,
                "download",
                attachment,
                cluster_id=attachment.request.cluster_id,
                detail=attachment.request.reference,
            )
        storage = storages["private"]
        try:
            fh = storage.open(attachment.stored_name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            fh,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
