"""PDF downloads: an invoice as archived when it was issued (never a new render), and a
credit note rendered on demand (it has no archive yet). The manager's through the
cluster, the organisation admin's through its own invoices; anything else is 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from portal.base.errors import ActionError

from ..archive import invoice_archived_pdf, invoice_pdf_filename
from ..pdf import render_credit_note_pdf
from ..selectors import invoices_of_organisation
from .base import ClusterInvoiceMixin
from .member import OwnFeesMixin


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def invoice_pdf(invoice) -> HttpResponse:
    try:
        data = invoice_archived_pdf(invoice)
    except ActionError as exc:  # a draft has no PDF
        raise Http404 from exc
    return pdf_response(data, invoice_pdf_filename(invoice))


def credit_note_pdf(invoice, note_pk: int) -> HttpResponse:
    note = get_object_or_404(invoice.credit_notes.all(), pk=note_pk)
    return pdf_response(render_credit_note_pdf(note), f"{note.number}.pdf")


class InvoicePdfView(ClusterInvoiceMixin, View):
    def get(self, request, *args, **kwargs):
        return invoice_pdf(self.invoice)


class CreditNotePdfView(ClusterInvoiceMixin, View):
    def get(self, request, *args, **kwargs):
        return credit_note_pdf(self.invoice, kwargs["note"])


class OwnInvoiceMixin(OwnFeesMixin):
    request: HttpRequest

    def get_invoice(self, pk: int):
        invoice = get_object_or_404(invoices_of_organisation(self.organisation), pk=pk)
        if not self.request.user.has_perm("memberships.view_own_invoice", invoice):
            raise Http404
        return invoice


class OwnInvoicePdfView(OwnInvoiceMixin, View):
    def get(self, request, *args, **kwargs):
        return invoice_pdf(self.get_invoice(kwargs["pk"]))


class OwnCreditNotePdfView(OwnInvoiceMixin, View):
    def get(self, request, *args, **kwargs):
        return credit_note_pdf(self.get_invoice(kwargs["pk"]), kwargs["note"])
