"""Fees test data made through the app's own actions: billing details, a plan, a fee
membership, a draft and an issued invoice."""

import datetime

from clusters.memberships.actions import invoice_issue
from clusters.memberships.billing import cluster_billing_save
from clusters.memberships.invoicing import invoice_draft_create
from clusters.memberships.models import Membership, MembershipPlan

BILLING = {
    "legal_name": "Genopole GIP",
    "address": "5 rue Henri Desbruères\n91000 Évry",
    "country": "FR",
    "vat_number": "FR40303265045",
    "iban": "FR7630006000011234567890189",
    "bic": "BNPAFRPP",
    "due_days": 30,
    "renewal_days": 30,
}


def billing_for(cluster, manager, **changes):
    return cluster_billing_save(actor=manager, cluster=cluster, **{**BILLING, **changes})


def plan_for(cluster, name="Standard", fee_cents=120000, **fields):
    return MembershipPlan.objects.create(
        cluster=cluster, name=name, fees_cents={"*": {"*": fee_cents}}, **fields
    )


def fee_membership(organisation, plan, start=datetime.date(2027, 1, 1), end=None):
    return Membership.objects.create(
        organisation=organisation,
        plan=plan,
        start=start,
        term_end=end or datetime.date(start.year, 12, 31),
    )


def draft_invoice(membership, manager):
    return invoice_draft_create(actor=manager, membership=membership)


def issued_invoice(membership, manager, day=datetime.date(2027, 1, 15)):
    draft = draft_invoice(membership, manager)
    return invoice_issue(invoice_id=draft.pk, issue_date=day)
