import datetime

import pytest

from clusters.memberships.actions import invoice_issue
from clusters.memberships.models import (
    ClusterBilling,
    Invoice,
    InvoiceLine,
    Membership,
    MembershipPlan,
)
from tests.factories import ClusterFactory, OrganisationFactory, UserFactory


def billing_for(cluster, **kw):
    return ClusterBilling.objects.create(
        cluster=cluster,
        legal_name="Genopole GIP",
        address="5 rue Henri Desbruères, 91030 Evry",
        country="FR",
        vat_number="FR40303265045",
        iban="FR7630006000011234567890189",
        bic="BNPAFRPP",
        **kw,
    )


def issue(cluster, org, *, net_cents=10000, day=datetime.date(2027, 12, 1), membership=None):
    """An issued invoice of `net_cents` + 20 % French VAT (a French customer)."""
    invoice = Invoice.objects.create(
        cluster=cluster,
        organisation=org,
        membership=membership,
        customer_name=org.name,
        customer_country="FR",
        customer_vat_number="FR40303265045",
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        position=1,
        description="Membership fee",
        unit_cents=net_cents,
        net_cents=net_cents,
        vat_cents=0,
    )
    return invoice_issue(invoice_id=invoice.pk, issue_date=day)


@pytest.fixture
def billing(cluster):
    return billing_for(cluster)


@pytest.fixture
def org_admin(cluster):
    """An organisation admitted to `cluster`, with its admin."""
    return UserFactory(email="admin@biotech.example", member_of=cluster)


@pytest.fixture
def org(org_admin):
    return org_admin.organisation


@pytest.fixture
def fee_membership(cluster, org):
    plan = MembershipPlan.objects.create(
        cluster=cluster, name="Standard", fees_cents={"*": {"*": 60000}}
    )
    return Membership.objects.create(
        organisation=org,
        plan=plan,
        start=datetime.date(2027, 1, 1),
        term_end=datetime.date(2027, 12, 31),
        grace_days=30,
    )


@pytest.fixture
def cluster42(db):
    """A cluster with a fixed id: the RF references in tests/memberships/data/ are its
    invoices 1 to 4 of 2027 (RF + check digits + 0042 + 2027 + number)."""
    cluster = ClusterFactory(pk=42, name="Genopole Statements", slug="genopole-statements")
    billing_for(cluster)
    return cluster


@pytest.fixture
def manager42(cluster42):
    from tests.factories import ClusterRoleFactory

    user = UserFactory(email="treasurer@genopole.example")
    ClusterRoleFactory(user=user, cluster=cluster42, role="manager")
    return user


@pytest.fixture
def invoices42(cluster42):
    """Invoices 1-4 of 2027, 120.00 EUR each, to four organisations."""
    return [issue(cluster42, OrganisationFactory()) for _ in range(4)]
