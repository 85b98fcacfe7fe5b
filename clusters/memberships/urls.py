"""/fees/: the cluster manager's fees pages under /fees/<cluster>/ and the
organisation admin's under /fees/our/."""

from django.urls import path

from .views import documents, invoices, manage, member, reports

app_name = "memberships"

urlpatterns = [
    path("", manage.FeesHomeView.as_view(), name="home"),
    path("our/", member.OwnMembershipView.as_view(), name="own_membership"),
    path("our/billing/", member.OwnBillingEditView.as_view(), name="own_billing"),
    path(
        "our/invoices/<int:pk>/", member.OwnInvoiceDetailView.as_view(), name="own_invoice_detail"
    ),
    path(
        "our/invoices/<int:pk>/pdf/", documents.OwnInvoicePdfView.as_view(), name="own_invoice_pdf"
    ),
    path(
        "our/invoices/<int:pk>/credit-notes/<int:note>/pdf/",
        documents.OwnCreditNotePdfView.as_view(),
        name="own_credit_note_pdf",
    ),
    path("<slug:slug>/plans/", manage.PlanListView.as_view(), name="plan_list"),
    path("<slug:slug>/plans/new/", manage.PlanCreateView.as_view(), name="plan_create"),
    path("<slug:slug>/plans/<int:pk>/", manage.PlanUpdateView.as_view(), name="plan_update"),
    path("<slug:slug>/billing/", manage.BillingEditView.as_view(), name="billing"),
    path("<slug:slug>/memberships/", manage.MembershipListView.as_view(), name="membership_list"),
    path(
        "<slug:slug>/memberships/<int:pk>/invoice/",
        manage.InvoiceDraftCreateView.as_view(),
        name="invoice_draft_create",
    ),
    path("<slug:slug>/invoices/", invoices.InvoiceListView.as_view(), name="invoice_list"),
    path(
        "<slug:slug>/invoices/export.csv",
        reports.AccountingCsvView.as_view(),
        name="accounting_csv",
    ),
    path(
        "<slug:slug>/invoices/<int:pk>/",
        invoices.InvoiceDetailView.as_view(),
        name="invoice_detail",
    ),
    path(
        "<slug:slug>/invoices/<int:pk>/pdf/", documents.InvoicePdfView.as_view(), name="invoice_pdf"
    ),
    path(
        "<slug:slug>/invoices/<int:pk>/credit-notes/<int:note>/pdf/",
        documents.CreditNotePdfView.as_view(),
        name="credit_note_pdf",
    ),
    path(
        "<slug:slug>/invoices/<int:pk>/issue/",
        invoices.InvoiceIssueView.as_view(),
        name="invoice_issue",
    ),
    path(
        "<slug:slug>/invoices/<int:pk>/payment/",
        invoices.PaymentRecordView.as_view(),
        name="payment_record",
    ),
    path(
        "<slug:slug>/invoices/<int:pk>/credit/",
        invoices.CreditNoteCreateView.as_view(),
        name="credit_note_create",
    ),
    path("<slug:slug>/overview/", reports.FeesOverviewView.as_view(), name="fees_overview"),
    path(
        "<slug:slug>/overview.csv", reports.FeesOverviewCsvView.as_view(), name="fees_overview_csv"
    ),
]
