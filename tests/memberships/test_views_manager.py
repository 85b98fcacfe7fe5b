"""The cluster manager's fees pages, through the test client: plans, billing details,
memberships, invoices (issue, payment by hand, credit note), overview and CSVs."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.memberships.amounts import euros
from clusters.memberships.models import ClusterBilling, CreditNote, Invoice, MembershipPlan, Payment
from tests.factories import ClusterFactory, ClusterRoleFactory, OrganisationFactory, UserFactory
from tests.factories.memberships import (
    billing_for,
    draft_invoice,
    fee_membership,
    issued_invoice,
    plan_for,
)


@pytest.fixture
def setup(cluster, manager):
    billing_for(cluster, manager)
    plan = plan_for(cluster)
    org = OrganisationFactory(name="Alpha Bio", country="BE")
    membership = fee_membership(org, plan)
    return cluster, manager, plan, membership


def url(name, cluster, *args):
    return reverse(f"memberships:{name}", args=[cluster.slug, *args])


def test_plan_create_with_fee_grid(client, cluster, manager):
    client.force_login(manager)
    response = client.post(
        url("plan_create", cluster),
        {
            "name": "Members 2027",
            "fee_default": "1200.00",
            "fee_sme_any": "600",
            "fee_sme_1_9": "300.50",
            "term_kind": "calendar",
            "pro_rata": "on",
            "free_room_hours": "10",
            "event_discount_percent": "20",
        },
    )
    assert response.status_code == 302
    plan = MembershipPlan.objects.get(cluster=cluster, name="Members 2027")
    assert plan.fees_cents == {"*": {"*": 120000}, "sme": {"*": 60000, "1-9": 30050}}
    assert plan.fee_for("sme", "1-9") == 30050
    assert plan.fee_for("sme", "50-249") == 60000
    assert plan.fee_for("university", "") == 120000
    assert (plan.pro_rata, plan.free_room_hours, plan.event_discount_percent) == (True, 10, 20)
    page = client.get(url("plan_list", cluster))
    assert "Members 2027" in page.content.decode()


def test_plan_edit_leaves_issued_invoices_alone(client, setup):
    cluster, manager, plan, membership = setup
    invoice = issued_invoice(membership, manager)
    client.force_login(manager)
    form = client.get(url("plan_update", cluster, plan.pk))
    assert form.context["form"].initial["fee_default"] == Decimal("1200.00")
    response = client.post(
        url("plan_update", cluster, plan.pk),
        {
            "name": "Standard",
            "fee_default": "1500",
            "term_kind": "calendar",
            "free_room_hours": "0",
            "event_discount_percent": "0",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.fee_for("sme", "") == 150000
    invoice.refresh_from_db()
    assert (invoice.net_cents, invoice.lines.get().unit_cents) == (120000, 120000)


def test_plan_duplicate_name_is_a_field_error(client, setup):
    cluster, manager, plan, _m = setup
    client.force_login(manager)
    response = client.post(
        url("plan_create", cluster),
        {
            "name": "Standard",
            "fee_default": "10",
            "term_kind": "calendar",
            "free_room_hours": "0",
            "event_discount_percent": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "The cluster already has a plan of this name."
    ]
    assert MembershipPlan.objects.filter(cluster=cluster).count() == 1


def test_plan_negative_fee_refused(client, cluster, manager):
    client.force_login(manager)
    response = client.post(
        url("plan_create", cluster),
        {
            "name": "Bad",
            "fee_default": "-1",
            "fee_sme_any": "abc",
            "term_kind": "calendar",
            "free_room_hours": "0",
            "event_discount_percent": "101",
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"fee_default", "fee_sme_any", "event_discount_percent"}
    assert not MembershipPlan.objects.filter(name="Bad").exists()


def test_billing_details_saved(client, cluster, manager):
    client.force_login(manager)
    response = client.post(
        url("billing", cluster),
        {
            "legal_name": "Genopole GIP",
            "address": "Évry",
            "country": "FR",
            "vat_number": "FR 40 303 265 045",
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "bic": "BNPAFRPP",
            "due_days": "45",
            "renewal_days": "60",
        },
    )
    assert response.status_code == 302
    billing = ClusterBilling.objects.get(cluster=cluster)
    assert (billing.vat_number, billing.iban, billing.due_days) == (
        "FR40303265045",
        "FR7630006000011234567890189",
        45,
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"vat_number": "FR40303265046"}, "vat_number", "not a valid EU VAT number"),
        ({"vat_number": "DE136695976"}, "vat_number", "should start with FR"),
        ({"iban": "FR7630006000011234567890180"}, "iban", "is not a valid IBAN"),
        ({"bic": "BNP"}, "bic", "is not a valid BIC"),
        ({"country": "CH"}, "country", "EU member state"),
    ],
)
def test_billing_bad_input_is_a_field_message_and_nothing_saved(
    client, cluster, manager, changes, field, message
):
    client.force_login(manager)
    data = {
        "legal_name": "Genopole GIP",
        "address": "Évry",
        "country": "FR",
        "vat_number": "FR40303265045",
        "iban": "FR7630006000011234567890189",
        "bic": "BNPAFRPP",
        "due_days": "30",
        "renewal_days": "30",
        **changes,
    }
    response = client.post(url("billing", cluster), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not ClusterBilling.objects.filter(cluster=cluster).exists()


def test_billing_several_bad_fields_each_get_their_message(client, cluster, manager):
    client.force_login(manager)
    response = client.post(
        url("billing", cluster),
        {
            "legal_name": "X",
            "address": "Y",
            "country": "FR",
            "vat_number": "FR1",
            "iban": "NL00",
            "bic": "?",
            "due_days": "30",
            "renewal_days": "30",
        },
    )
    assert set(response.context["form"].errors) == {"vat_number", "iban", "bic"}
    assert not ClusterBilling.objects.exists()


def test_prepare_issue_pay_credit(client, setup):
    cluster, manager, plan, membership = setup
    client.force_login(manager)
    page = client.get(url("membership_list", cluster))
    assert "Alpha Bio" in page.content.decode() and "Active" in page.content.decode()
    response = client.post(url("invoice_draft_create", cluster, membership.pk))
    draft = Invoice.objects.get(membership=membership)
    assert response["Location"] == url("invoice_detail", cluster, draft.pk)
    assert (draft.status, draft.gross_cents) == ("draft", 120000)
    # a second draft for the same membership is refused with a message
    again = client.post(url("invoice_draft_create", cluster, membership.pk), follow=True)
    assert "already being prepared" in again.content.decode()
    assert Invoice.objects.filter(membership=membership).count() == 1

    client.post(url("invoice_issue", cluster, draft.pk))
    draft.refresh_from_db()
    assert draft.status == "issued" and draft.number.endswith("-00001")
    # Belgian customer without a VAT number: French VAT (20 %)
    assert (draft.vat_cents, draft.gross_cents) == (24000, 144000)
    detail = client.get(url("invoice_detail", cluster, draft.pk)).content.decode()
    assert draft.number in detail and draft.rf_reference in detail

    response = client.post(
        url("payment_record", cluster, draft.pk),
        {"amount": "1000.00", "booked_on": "2027-02-01", "reference": draft.rf_reference},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "part_paid"
    assert Payment.objects.get(invoice=draft).amount_cents == 100000

    response = client.post(
        url("credit_note_create", cluster, draft.pk),
        {"scope": "part", "amount": "120.00", "reason": "Joined late"},
    )
    assert response.status_code == 302
    note = CreditNote.objects.get(invoice=draft)
    assert (note.net_cents, note.vat_cents, note.gross_cents) == (10000, 2000, 12000)
    assert note.number == f"CN-{cluster.slug.upper()[:12]}-{timezone.localdate().year}-00001"
    draft.refresh_from_db()
    assert (draft.gross_cents, draft.status) == (144000, "part_paid")  # the invoice is unchanged

    client.post(
        url("payment_record", cluster, draft.pk), {"amount": "320.00", "booked_on": "2027-02-02"}
    )
    draft.refresh_from_db()
    assert draft.status == "paid"


def test_credit_note_whole_and_too_much(client, setup):
    cluster, manager, plan, membership = setup
    invoice = issued_invoice(membership, manager)
    client.force_login(manager)
    response = client.post(
        url("credit_note_create", cluster, invoice.pk),
        {"scope": "part", "amount": "2000", "reason": "x"},
    )
    assert "more than what is left" in response.context["form"].errors["amount"][0]
    response = client.post(
        url("credit_note_create", cluster, invoice.pk), {"scope": "part", "reason": "x"}
    )
    assert response.context["form"].errors["amount"] == ["Give the amount to credit."]
    assert not CreditNote.objects.exists()
    client.post(
        url("credit_note_create", cluster, invoice.pk), {"scope": "whole", "reason": "Left"}
    )
    note = CreditNote.objects.get()
    assert note.gross_cents == invoice.gross_cents
    invoice.refresh_from_db()
    assert invoice.status == "credited"


def test_payment_form_bad_amount(client, setup):
    cluster, manager, plan, membership = setup
    invoice = issued_invoice(membership, manager)
    client.force_login(manager)
    response = client.post(
        url("payment_record", cluster, invoice.pk), {"amount": "0", "booked_on": "nope"}
    )
    assert set(response.context["form"].errors) == {"amount", "booked_on"}
    assert not Payment.objects.exists()


def test_invoice_list_filters(client, setup):
    cluster, manager, plan, membership = setup
    old = issued_invoice(membership, manager, day=datetime.date(2026, 1, 10))  # overdue
    other = fee_membership(OrganisationFactory(name="Beta Bio"), plan)
    draft = draft_invoice(other, manager)
    client.force_login(manager)

    def numbers(**params):
        response = client.get(url("invoice_list", cluster), params)
        return sorted(i.pk for i in response.context["invoices"])

    assert numbers() == sorted([old.pk, draft.pk])
    assert numbers(status="draft") == [draft.pk]
    assert numbers(year="2026") == [old.pk]
    assert numbers(overdue="on") == [old.pk]
    bad = client.get(url("invoice_list", cluster), {"status": "lost"})
    assert bad.context["invoices"] == []
    assert "Unknown value for Status: lost" in bad.content.decode()


def test_overview_and_csvs_in_decimal_euros(client, setup):
    cluster, manager, plan, membership = setup
    year = timezone.localdate().year
    invoice = issued_invoice(membership, manager, day=datetime.date(year, 1, 15))
    client.force_login(manager)
    client.post(
        url("payment_record", cluster, invoice.pk),
        {"amount": "440.10", "booked_on": f"{year}-02-03"},
    )
    client.post(
        url("credit_note_create", cluster, invoice.pk),
        {"scope": "part", "amount": "12.00", "reason": "Discount"},
    )
    page = client.get(url("fees_overview", cluster))
    rows = page.context["rows"]
    assert rows[0].invoiced_cents == 144000 and rows[1].paid_cents == 44010
    response = client.get(url("fees_overview_csv", cluster), {"year": year})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["month", "invoiced", "credited", "paid", "outstanding", "overdue"]
    assert lines[1][:2] == [f"{year}-01", "1440.00"]
    assert lines[2][3] == "440.10"
    assert lines[1][4] == "987.90"  # 1440.00 - 440.10 - 12.00

    response = client.get(url("accounting_csv", cluster))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:9] == [
        "type",
        "number",
        "date",
        "customer",
        "VAT number",
        "net",
        "VAT",
        "gross",
        "VAT treatment",
    ]
    assert lines[1] == [
        "invoice",
        invoice.number,
        f"{year}-01-15",
        "Alpha Bio",
        "",
        "1200.00",
        "240.00",
        "1440.00",
        "domestic",
        "",
    ]
    assert lines[2][0] == "credit note" and lines[2][5:8] == ["-10.00", "-2.00", "-12.00"]
    assert lines[2][9] == invoice.number


def test_manager_of_another_cluster_gets_404(client, setup):
    cluster, manager, plan, membership = setup
    invoice = issued_invoice(membership, manager)
    other_cluster = ClusterFactory(slug="elsewhere")
    other = UserFactory(email="other-manager@example.org")
    ClusterRoleFactory(user=other, cluster=other_cluster, role="manager")
    client.force_login(other)
    for name, args in [
        ("invoice_list", ()),
        ("invoice_detail", (invoice.pk,)),
        ("plan_update", (plan.pk,)),
        ("fees_overview", ()),
        ("accounting_csv", ()),
    ]:
        assert client.get(url(name, cluster, *args)).status_code == 404, name
    # their own cluster's URL with A's invoice pk: 404 too
    assert client.get(url("invoice_detail", other_cluster, invoice.pk)).status_code == 404
    assert client.post(url("invoice_issue", other_cluster, invoice.pk)).status_code == 404
    assert (
        client.post(
            url("credit_note_create", cluster, invoice.pk), {"scope": "whole", "reason": "x"}
        ).status_code
        == 404
    )
    assert not CreditNote.objects.exists()


def test_manager_downloads_the_archived_pdf_a_draft_has_none(client, setup):
    cluster, manager, plan, membership = setup
    invoice = issued_invoice(membership, manager)
    client.force_login(manager)
    response = client.get(url("invoice_pdf", cluster, invoice.pk))
    assert response.status_code == 200
    assert response.content == bytes(Invoice.objects.get(pk=invoice.pk).pdf)
    draft = draft_invoice(fee_membership(OrganisationFactory(), plan), manager)
    assert client.get(url("invoice_pdf", cluster, draft.pk)).status_code == 404


def test_a_payment_above_the_open_amount_asks_what_to_do_with_the_rest(client, setup):
    cluster, manager, plan, membership = setup
    invoice = issued_invoice(membership, manager)
    client.force_login(manager)
    too_much = euros(invoice.gross_cents + 5000)
    response = client.post(
        url("payment_record", cluster, invoice.pk),
        {"amount": str(too_much), "booked_on": "2027-02-01"},
    )
    assert response.status_code == 200
    assert "50.00 more than" in response.context["form"].errors["overpayment"][0]
    assert not Payment.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == "issued"

    response = client.post(
        url("payment_record", cluster, invoice.pk),
        {"amount": str(too_much), "booked_on": "2027-02-01", "overpayment": "credit"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    payment = Payment.objects.get(invoice=invoice)
    assert payment.overpayment.handling == "credit"
    assert payment.overpayment.amount_cents == 5000
