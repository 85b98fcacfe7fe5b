"""Demo fees (called by `manage.py seed_demo` after the clusters app): billing details
and a plan for the clusters with a demo manager (Genopole, BioWin), a fee membership for
each of their active member organisations, and a year of invoices made through the
actions: most paid, some overdue, a few not due yet, one credit note. A cluster that
already has a plan is left as it is, so the seed is safe to run again."""

from __future__ import annotations

import datetime

from clusters.enums import MembershipStatus, StaffRole
from clusters.models import ClusterRole, Organisation

from .actions import invoice_issue
from .billing import cluster_billing_save
from .enums import TermKind
from .invoicing import credit_note_create, invoice_draft_create
from .models import Membership, MembershipPlan
from .payments import payment_record
from .plans import plan_save

BILLING = {
    "Genopole": {
        "legal_name": "Genopole GIP",
        "address": "5 rue Henri Desbruères\n91030 Évry-Courcouronnes",
        "country": "FR",
        "vat_number": "FR40303265045",
        "iban": "FR7630006000011234567890189",
        "bic": "BNPAFRPP",
    },
    "BioWin": {
        "legal_name": "BioWin ASBL",
        "address": "Rue Granbonpré 11\n1435 Mont-Saint-Guibert",
        "country": "BE",
        "vat_number": "BE0403170701",
        "iban": "BE71096123456769",
        "bic": "GEBABEBB",
    },
}
# Yearly fees in cents: a default, then by kind (any size, or per size band).
FEES = {
    "*": {"*": 150000},
    "startup": {"*": 50000},
    "sme": {"*": 90000, "1-9": 60000, "250+": 150000},
    "research": {"*": 120000},
    "university": {"*": 200000},
    "large": {"*": 500000},
}
MAX_MEMBERS = 40  # per cluster: enough for a year of invoices, quick to seed


def seed(ctx) -> None:
    rng = ctx.rng("memberships")
    today = ctx.today
    for name, details in BILLING.items():
        role = (
            ClusterRole.objects.filter(cluster__name=name, role=StaffRole.MANAGER)
            .select_related("user", "cluster")
            .order_by("pk")
            .first()
        )
        if role is None or MembershipPlan.objects.filter(cluster=role.cluster).exists():
            continue
        manager, cluster = role.user, role.cluster
        cluster_billing_save(
            actor=manager, cluster=cluster, due_days=30, renewal_days=30, **details
        )
        plan = plan_save(
            actor=manager,
            cluster=cluster,
            name="Standard membership",
            fees_cents=FEES,
            term_kind=TermKind.TWELVE_MONTHS,
            pro_rata=False,
            free_room_hours=20,
            event_discount_percent=25,
        )
        orgs = list(
            Organisation.objects.filter(
                memberships__cluster=cluster, memberships__status=MembershipStatus.ACTIVE
            ).order_by("pk")[:MAX_MEMBERS]
        )
        # One anniversary a member: its term began on the day its invoice was issued,
        # spread over the last twelve months and issued in date order (numbers follow).
        starts = sorted(
            (today - datetime.timedelta(days=rng.randint(3, 360)), org.pk) for org in orgs
        )
        by_pk = {o.pk: o for o in orgs}
        invoices = []
        for start, org_pk in starts:
            membership = Membership.objects.create(
                organisation=by_pk[org_pk],
                plan=plan,
                start=start,
                term_end=_year_later(start) - datetime.timedelta(days=1),
            )
            draft = invoice_draft_create(actor=manager, membership=membership)
            invoices.append(invoice_issue(invoice_id=draft.pk, issue_date=start))
        for invoice in invoices:
            assert invoice.issue_date and invoice.due_date  # issued
            due_passed = invoice.due_date < today
            if rng.random() < (0.75 if due_passed else 0.35):
                days = rng.randint(3, 40 if due_passed else 10)
                booked = min(invoice.issue_date + datetime.timedelta(days=days), today)
                payment_record(
                    actor=manager,
                    invoice_id=invoice.pk,
                    amount_cents=invoice.gross_cents,
                    booked_on=booked,
                    reference=invoice.rf_reference,
                )
        unpaid = [i for i in invoices[len(invoices) // 2 :] if not i.payments.exists()]
        if unpaid:
            credited = unpaid[0]
            assert credited.issue_date
            credit_note_create(
                actor=manager,
                invoice=credited,
                reason="Member discount agreed after the invoice was issued",
                issue_date=min(credited.issue_date + datetime.timedelta(days=7), today),
                gross_cents=credited.gross_cents // 10,
            )


def _year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
