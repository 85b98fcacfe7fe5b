"""The organisation admin's pages: its membership and invoices, one invoice, and the
billing details its next invoices carry."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from portal.base.views import REFUSED, run_action

from ..billing import organisation_billing_save
from ..forms import OrganisationBillingForm
from ..invoicing import term_start
from ..selectors import (
    customer_details_for,
    draft_invoices_of_organisation,
    fee_memberships_of,
    invoices_of_organisation,
    is_overdue,
)


class OwnFeesMixin(LoginRequiredMixin):
    """The person's own organisation, when they are its admin; 404 for anyone else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation = request.user.organisation
            if self.organisation is None or not request.user.has_perm(
                "memberships.view_own_fees", self.organisation
            ):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organisation": self.organisation}


class OwnMembershipView(OwnFeesMixin, TemplateView):
    template_name = "memberships/own_membership.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        memberships = list(fee_memberships_of(self.organisation))
        for m in memberships:
            m.term_first_day = term_start(m)
            m.next_renewal = m.term_end + datetime.timedelta(days=1)
        invoices = list(invoices_of_organisation(self.organisation))
        for invoice in invoices:
            invoice.is_overdue = is_overdue(invoice, today)
        return {
            **super().get_context_data(**kwargs),
            "memberships": memberships,
            "invoices": invoices,
        }


class OwnInvoiceDetailView(OwnFeesMixin, TemplateView):
    template_name = "memberships/own_invoice_detail.html"

    def get_context_data(self, **kwargs):
        invoice = get_object_or_404(invoices_of_organisation(self.organisation), pk=kwargs["pk"])
        if not self.request.user.has_perm("memberships.view_own_invoice", invoice):
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "credit_notes": invoice.credit_notes.order_by("issue_date", "pk"),
            "is_overdue": is_overdue(invoice, timezone.localdate()),
        }


class OwnBillingEditView(OwnFeesMixin, FormView):
    template_name = "memberships/own_billing_form.html"
    form_class = OrganisationBillingForm

    def get_initial(self):
        return customer_details_for(self.organisation)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "has_drafts": draft_invoices_of_organisation(self.organisation).exists(),
        }

    def form_valid(self, form):
        saved = run_action(
            organisation_billing_save,
            errors_to=form,
            actor=self.request.user,
            organisation=self.organisation,
            **form.cleaned_data,
        )
        if saved is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("Your billing details were saved."))
        return redirect("memberships:own_membership")
