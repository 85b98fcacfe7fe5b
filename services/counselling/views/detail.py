"""The request page, for the member and the cluster's staff alike: the request, its
timeline and files, and what each may do on it (move it through the workflow, write,
rate); and the download of its files."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.base.audit import audit
from portal.base.permissions import get_permitted_object_or_404
from portal.base.views import REFUSED, run_action

from .. import workflow
from ..actions import request_message_post, request_move, request_rate
from ..enums import RequestStatus
from ..forms import MessageForm, MoveForm, RateForm
from ..held_uploads import HeldUploads, hold_after_error
from ..models import CounsellingRequest, RequestAttachment
from ..rules import request_roles
from ..selectors import request_attachments, request_detail_qs, timeline

TEMPLATE = "services/request_detail.html"


class MoveRefusal(forms.Form):
    """Where a refused move's reason goes: the page shows it above the move buttons
    (a move has no form of its own to show it beside a field)."""

    def reasons(self) -> list[str]:
        return list(self.non_field_errors())


def _get_counselling_request(user, pk) -> CounsellingRequest:
    if not user.is_authenticated:
        raise Http404
    return get_permitted_object_or_404(user, "services.view_request", request_detail_qs(), pk=pk)


def _detail_context(
    user, counselling_request, *, message_form=None, move_errors=None, rate_form=None
):
    roles = request_roles(user, counselling_request)
    staff = bool(roles & {"manager", "advisor"})
    status = counselling_request.status
    now = timezone.now()
    moves = [
        m
        for m in workflow.available_moves(
            status, roles, resolved_at=counselling_request.resolved_at, now=now
        )
        if m.name != "resume" or "member" not in roles or staff
    ]
    can_ask = "advisor" in roles and status == RequestStatus.IN_PROGRESS
    return {
        "req": counselling_request,
        "cluster": counselling_request.cluster,
        "roles": roles,
        "staff": staff,
        "timeline": timeline(counselling_request, include_internal=staff),
        "files": request_attachments(counselling_request),
        "moves": moves,
        "move_form": MoveForm(
            counselling_request=counselling_request, user=user, initial={"expected_status": status}
        ),
        "move_errors": move_errors or [],
        "can_write": status not in workflow.FINAL,
        "message_form": message_form or MessageForm(staff=staff, can_ask=can_ask),
        "can_rate": "member" in roles
        and status in (RequestStatus.RESOLVED, RequestStatus.CLOSED)
        and counselling_request.satisfaction is None,
        "rate_form": rate_form or RateForm(),
        "overdue": counselling_request.is_overdue(),
    }


class RequestDetailView(LoginRequiredMixin, View):
    """Signed out (e.g. from a notification email): to the login page and back;
    any id redirects alike, so nothing is revealed. Signed in: 404 unless allowed."""

    template_name = TEMPLATE

    def get(self, request, pk):
        counselling_request = _get_counselling_request(request.user, pk)
        if counselling_request.requester_organisation_id != request.user.organisation_id:
            audit(
                request.user, "view", counselling_request, cluster_id=counselling_request.cluster_id
            )
        return render(
            request, self.template_name, _detail_context(request.user, counselling_request)
        )


class RequestMoveView(View):
    def post(self, request, pk, move):
        counselling_request = _get_counselling_request(request.user, pk)
        if move not in workflow.MOVES:
            raise Http404
        form = MoveForm(request.POST, counselling_request=counselling_request, user=request.user)
        form.is_valid()
        data = form.cleaned_data
        refusal = MoveRefusal(data={})
        moved = run_action(
            request_move,
            errors_to=refusal,
            actor=request.user,
            request_id=counselling_request.pk,
            move=move,
            note=data.get("note", ""),
            assignee=data.get("assignee"),
            expected_status=data.get("expected_status") or None,
        )
        if moved is REFUSED:
            counselling_request.refresh_from_db()
            ctx = _detail_context(request.user, counselling_request, move_errors=refusal.reasons())
            return render(request, TEMPLATE, ctx, status=409)
        messages.success(request, _("Done: the request is now “%(s)s”.") % {"s": _status_label(pk)})
        return redirect("services:request_detail", pk=pk)


def _status_label(pk) -> str:
    return CounsellingRequest.objects.get(pk=pk).get_status_display()


class RequestMessageView(View):
    def post(self, request, pk):
        counselling_request = _get_counselling_request(request.user, pk)
        roles = request_roles(request.user, counselling_request)
        staff = bool(roles & {"manager", "advisor"})
        can_ask = "advisor" in roles and counselling_request.status == RequestStatus.IN_PROGRESS
        held = HeldUploads(request, f"message:{counselling_request.pk}")
        form = MessageForm(request.POST, request.FILES, staff=staff, can_ask=can_ask, held=held)
        if form.is_valid():
            message = run_action(
                request_message_post,
                errors_to=form,
                actor=request.user,
                request_id=counselling_request.pk,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
                attachments=form.cleaned_data["attachments"],
                wait_for_member=form.cleaned_data.get("wait_for_member", False),
            )
            if message is not REFUSED:
                held.release()
                messages.success(request, _("Your message was sent."))
                return redirect("services:request_detail", pk=pk)
        hold_after_error(held, form, request)
        ctx = _detail_context(request.user, counselling_request, message_form=form)
        return render(request, TEMPLATE, ctx)


class RequestRateView(View):
    def post(self, request, pk):
        counselling_request = _get_counselling_request(request.user, pk)
        if not request.user.has_perm("services.rate_request", counselling_request):
            raise Http404
        form = RateForm(request.POST)
        if form.is_valid():
            rated = run_action(
                request_rate,
                errors_to=form,
                actor=request.user,
                request_id=counselling_request.pk,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
            if rated is not REFUSED:
                messages.success(request, _("Thank you for your rating."))
                return redirect("services:request_detail", pk=pk)
        ctx = _detail_context(request.user, counselling_request, rate_form=form)
        return render(request, TEMPLATE, ctx)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Files are only ever served here, after the permission check, as downloads."""

    def get(self, request, pk):
        attachment = get_object_or_404(
            RequestAttachment.objects.select_related("request", "message"), pk=pk
        )
        if not request.user.has_perm("services.view_attachment", attachment):
            raise Http404
        counselling_request = attachment.request
        if counselling_request.requester_organisation_id != request.user.organisation_id:
            audit(
                request.user,
                "download",
                attachment,
                cluster_id=counselling_request.cluster_id,
                detail=counselling_request.reference,
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
