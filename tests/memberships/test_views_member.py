"""The organisation admin's fees pages: membership and invoices, one invoice, billing
details; nobody sees another organisation's invoice."""

import datetime

import pytest
from django.urls import reverse

from clusters.enums import OrgRole
from clusters.memberships.models import Invoice
from tests.factories import UserFactory
from tests.factories.memberships import (
    billing_for,
    draft_invoice,
    fee_membership,
    issued_invoice,
    plan_for,
)


@pytest.fixture
def fees(cluster, manager, member, other_member):
    billing_for(cluster, manager)
    plan = plan_for(cluster, free_room_hours=12)
    mine = fee_membership(member.organisation, plan)
    theirs = fee_membership(other_member.organisation, plan)
    return {
        "plan": plan,
        "mine": mine,
        "my_invoice": issued_invoice(mine, manager),
        "their_invoice": issued_invoice(theirs, manager),
    }


def test_membership_page_shows_plan_term_renewal_and_open_amount(client, member, fees):
    client.force_login(member)
    response = client.get(reverse("memberships:own_membership"))
    body = response.content.decode()
    invoice = fees["my_invoice"]
    assert response.status_code == 200
    assert "Standard" in body and "Calendar year" in body and "Active" in body
    assert response.context["memberships"][0].next_renewal == datetime.date(2028, 1, 1)
    assert [i.pk for i in response.context["invoices"]] == [invoice.pk]
    assert response.context["invoices"][0].open_cents == 144000
    assert fees["their_invoice"].number not in body


def test_member_reads_own_invoice_not_another_organisations(client, member, fees):
    client.force_login(member)
    own = client.get(reverse("memberships:own_invoice_detail", args=[fees["my_invoice"].pk]))
    assert own.status_code == 200
    assert fees["my_invoice"].rf_reference in own.content.decode()
    other = client.get(reverse("memberships:own_invoice_detail", args=[fees["their_invoice"].pk]))
    assert other.status_code == 404


def test_member_never_sees_a_draft(client, member, manager, fees):
    extra = plan_for(fees["plan"].cluster, "Extra")
    draft = draft_invoice(fee_membership(member.organisation, extra), manager)
    client.force_login(member)
    assert client.get(reverse("memberships:own_invoice_detail", args=[draft.pk])).status_code == 404


def test_colleague_who_is_not_admin_gets_404(client, member, fees):
    colleague = UserFactory(organisation=member.organisation, org_role=OrgRole.MEMBER)
    client.force_login(colleague)
    assert client.get(reverse("memberships:own_membership")).status_code == 404
    url = reverse("memberships:own_invoice_detail", args=[fees["my_invoice"].pk])
    assert client.get(url).status_code == 404


def test_manager_pages_are_404_for_a_member(client, member, cluster, fees):
    client.force_login(member)
    for name, args in [
        ("invoice_list", [cluster.slug]),
        ("invoice_detail", [cluster.slug, fees["my_invoice"].pk]),
        ("plan_list", [cluster.slug]),
        ("billing", [cluster.slug]),
    ]:
        assert client.get(reverse(f"memberships:{name}", args=args)).status_code == 404, name


def test_billing_details_go_on_the_draft_and_the_next_invoices(client, member, manager, cluster):
    billing_for(cluster, manager)
    membership = fee_membership(member.organisation, plan_for(cluster))
    draft = draft_invoice(membership, manager)
    client.force_login(member)
    response = client.post(
        reverse("memberships:own_billing"),
        {
            "name": "Alpha Bio SAS",
            "address": "1 rue de la Paix\nParis",
            "country": "BE",
            "vat_number": "BE 0403.170.701",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.customer_name, draft.customer_country, draft.customer_vat_number) == (
        "Alpha Bio SAS",
        "BE",
        "BE0403170701",
    )
    page = client.get(reverse("memberships:own_billing"))
    assert page.context["form"].initial["vat_number"] == "BE0403170701"


@pytest.mark.parametrize(
    "vat_number, message",
    [("BE0403170702", "not a valid EU VAT number"), ("FR40303265045", "should start with BE")],
)
def test_billing_bad_vat_number_is_a_field_message_nothing_saved(
    client, member, manager, cluster, vat_number, message
):
    billing_for(cluster, manager)
    draft = draft_invoice(fee_membership(member.organisation, plan_for(cluster)), manager)
    client.force_login(member)
    response = client.post(
        reverse("memberships:own_billing"),
        {"name": "Changed", "address": "x", "country": "BE", "vat_number": vat_number},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["vat_number"] and message in errors["vat_number"][0]
    draft.refresh_from_db()
    assert draft.customer_name != "Changed"


def test_billing_without_a_draft_says_so(client, member, fees):
    client.force_login(member)
    response = client.post(
        reverse("memberships:own_billing"),
        {"name": "Changed", "address": "x", "country": "FR", "vat_number": ""},
    )
    assert response.status_code == 200
    assert "No invoice is being prepared" in response.content.decode()
    assert not Invoice.objects.filter(customer_name="Changed").exists()


def test_member_downloads_the_archived_pdf_of_own_invoice_only(client, member, manager, fees):
    from clusters.memberships.invoicing import credit_note_create

    invoice = fees["my_invoice"]
    note = credit_note_create(
        actor=manager,
        invoice=invoice,
        reason="Late",
        issue_date=invoice.issue_date,
        gross_cents=100,
    )
    client.force_login(member)
    response = client.get(reverse("memberships:own_invoice_pdf", args=[invoice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(Invoice.objects.get(pk=invoice.pk).pdf)
    assert f'filename="{invoice.number}.pdf"' in response["Content-Disposition"]
    credit = client.get(reverse("memberships:own_credit_note_pdf", args=[invoice.pk, note.pk]))
    assert credit.status_code == 200 and credit.content.startswith(b"%PDF")
    theirs = fees["their_invoice"]
    assert client.get(reverse("memberships:own_invoice_pdf", args=[theirs.pk])).status_code == 404
    wrong = reverse("memberships:own_credit_note_pdf", args=[theirs.pk, note.pk])
    assert client.get(wrong).status_code == 404
