"""The demo fees: plans, a year of invoices (paid, overdue, open), one credit note per
demo cluster, all made through the actions; a second run adds nothing."""

import datetime

from django.core.management import call_command

from clusters.memberships.models import ClusterBilling, CreditNote, Invoice, MembershipPlan, Payment
from clusters.memberships.selectors import invoices_of, overdue


def _counts():
    return tuple(m.objects.count() for m in (MembershipPlan, Invoice, Payment, CreditNote))


def test_demo_fees(db):
    today = datetime.date(2027, 5, 12)
    call_command("seed_demo", size=40, today=today, verbosity=0)
    plans = MembershipPlan.objects.select_related("cluster")
    assert sorted(p.cluster.name for p in plans) == ["BioWin", "Genopole"]
    assert ClusterBilling.objects.count() == 2
    for plan in plans:
        invoices = invoices_of(plan.cluster)
        assert invoices.count() >= 3
        assert not invoices.filter(status="draft").exists()
        numbers = [i.sequence for i in invoices.filter(year=2027).order_by("sequence")]
        assert numbers == list(range(1, len(numbers) + 1))
        dates = [i.issue_date for i in invoices]
        assert min(dates) >= today - datetime.timedelta(days=365) and max(dates) < today
        assert invoices.filter(status="paid").exists()
        assert overdue(invoices, today).exists()
        assert CreditNote.objects.filter(invoice__cluster=plan.cluster).count() == 1
    neocell = Invoice.objects.filter(organisation__name="NeoCell Therapeutics")
    assert neocell.exists()
    first = _counts()
    call_command("seed_demo", size=40, today=today, verbosity=0)
    assert _counts() == first
