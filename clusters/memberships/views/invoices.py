"""The manager's invoices: the filtered list, one invoice, issuing a draft, a payment
recorded by hand and a credit note."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.base.filtering import filter_results
from portal.base.views import REFUSED, run_action

from ..actions import invoice_issue
from ..amounts import cents, euros
from ..filters import InvoiceFilter
from ..forms import CreditNoteForm, PaymentForm
from ..invoicing import credit_note_create
from ..payments import payment_record
from ..selectors import invoices_of, is_overdue
from .base import ClusterFeesMixin, ClusterInvoiceMixin

PAGE_SIZE = 50


class InvoiceListView(ClusterFeesMixin, TemplateView):
    template_name = "memberships/invoice_list.html"
    section = "invoices"

    def get_context_data(self, **kwargs):
        filterset = InvoiceFilter(self.request.GET, queryset=invoices_of(self.cluster))
        page = Paginator(filter_results(filterset), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        today = timezone.localdate()
        invoices = list(page.object_list)
        for invoice in invoices:
            invoice.is_overdue = is_overdue(invoice, today)
        params = self.request.GET.copy()
        params.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "invoices": invoices,
            "querystring": params.urlencode(),
        }


class InvoiceDetailView(ClusterInvoiceMixin, TemplateView):
    template_name = "memberships/invoice_detail.html"

    def get_context_data(self, **kwargs):
        invoice = self.invoice
        return {
            **super().get_context_data(**kwargs),
            "lines": invoice.lines.all(),
            "payments": invoice.payments.order_by("booked_on", "pk"),
            "credit_notes": invoice.credit_notes.order_by("issue_date", "pk"),
            "is_overdue": is_overdue(invoice, timezone.localdate()),
            "staff_view": True,
        }


class InvoiceIssueView(ClusterInvoiceMixin, View):
    """POST: issue a draft (number, VAT, RF reference, due date); it is final then."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        issued = run_action(
            invoice_issue,
            errors_to=request,
            invoice_id=self.invoice.pk,
            issue_date=timezone.localdate(),
        )
        if issued is not REFUSED:
            messages.success(
                request, _("Invoice %(number)s was issued.") % {"number": issued.number}
            )
        return redirect("memberships:invoice_detail", slug=self.cluster.slug, pk=self.invoice.pk)


class PaymentRecordView(ClusterInvoiceMixin, FormView):
    template_name = "memberships/payment_form.html"
    form_class = PaymentForm

    def get_initial(self):
        open_cents = max(self.invoice.open_cents, 0)
        return {"amount": euros(open_cents), "booked_on": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        payment = run_action(
            payment_record,
            errors_to=form,
            actor=self.request.user,
            invoice_id=self.invoice.pk,
            amount_cents=cents(data["amount"]),
            booked_on=data["booked_on"],
            reference=data["reference"],
            overpayment=data["overpayment"] or None,
        )
        if payment is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The payment was recorded."))
        return redirect("memberships:invoice_detail", slug=self.cluster.slug, pk=self.invoice.pk)


class CreditNoteCreateView(ClusterInvoiceMixin, FormView):
    template_name = "memberships/credit_note_form.html"
    form_class = CreditNoteForm

    def form_valid(self, form):
        note = run_action(
            credit_note_create,
            errors_to=form,
            actor=self.request.user,
            invoice=self.invoice,
            reason=form.cleaned_data["reason"],
            issue_date=timezone.localdate(),
            gross_cents=form.gross_cents(),
        )
        if note is REFUSED:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Credit note %(number)s was issued.") % {"number": note.number}
        )
        return redirect("memberships:invoice_detail", slug=self.cluster.slug, pk=self.invoice.pk)
