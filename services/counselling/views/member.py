"""The member's side of counselling: ask for help, see the organisation's requests."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from portal.base.permissions import MemberRequiredMixin, PermissionRequiredMixin
from portal.base.views import REFUSED, run_action
from services.catalogue.models import ServiceOffering

from ..actions import request_submit
from ..forms import RequestForm
from ..held_uploads import HeldUploads, hold_after_error
from ..selectors import requests_of_organisation
from .lists import RequestList


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
        counselling_request = run_action(
            request_submit,
            errors_to=form,
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
        if counselling_request is REFUSED:
            return self.form_invalid(form)
        self.held.release()
        messages.success(
            self.request,
            _("Your request %(ref)s was sent. We emailed you a confirmation.")
            % {"ref": counselling_request.reference},
        )
        return redirect("services:request_detail", pk=counselling_request.pk)


class RequestListView(RequestList):
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
