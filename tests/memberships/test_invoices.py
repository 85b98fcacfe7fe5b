import datetime
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from clusters.memberships.actions import invoice_issue
from clusters.memberships.models import ClusterBilling, ImmutableInvoiceError, Invoice, InvoiceLine
from portal.base.errors import ActionError
from tests.factories import OrganisationFactory

DAY = datetime.date(2027, 3, 1)


def _draft(cluster, org=None):
    ClusterBilling.objects.get_or_create(
        cluster=cluster,
        defaults={
            "legal_name": "Genopole GIP",
            "address": "Evry",
            "country": "FR",
            "vat_number": "FR40303265045",
            "iban": "FR7630006000011234567890189",
            "bic": "BNPAFRPP",
        },
    )
    org = org or OrganisationFactory()
    invoice = Invoice.objects.create(
        cluster=cluster,
        organisation=org,
        customer_name=org.name,
        customer_country="FR",
        customer_vat_number="FR40303265045",
        net_cents=10000,
        vat_cents=2000,
        gross_cents=12000,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        position=1,
        description="Fee",
        unit_cents=10000,
        net_cents=10000,
        vat_cents=2000,
    )
    return invoice


def test_issue_gives_consecutive_numbers(cluster):
    first = invoice_issue(invoice_id=_draft(cluster).pk, issue_date=DAY)
    second = invoice_issue(invoice_id=_draft(cluster).pk, issue_date=DAY)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number == f"{cluster.slug.upper()[:12]}-2027-00002"
    assert second.due_date == datetime.date(2027, 3, 31)
    assert (second.net_cents, second.vat_cents, second.gross_cents) == (10000, 2000, 12000)
    assert (second.vat_treatment, second.issuer_country, second.iban) == (
        "domestic",
        "FR",
        "FR7630006000011234567890189",
    )
    assert second.rf_reference.startswith("RF") and second.rf_reference.endswith("2027000002")
    next_year = invoice_issue(invoice_id=_draft(cluster).pk, issue_date=datetime.date(2028, 1, 2))
    assert next_year.sequence == 1


def test_issue_twice_refused(cluster):
    invoice = invoice_issue(invoice_id=_draft(cluster).pk, issue_date=DAY)
    with pytest.raises(ActionError):
        invoice_issue(invoice_id=invoice.pk, issue_date=DAY)


def test_issued_invoice_model_guard(cluster):
    invoice = invoice_issue(invoice_id=_draft(cluster).pk, issue_date=DAY)
    invoice.customer_name = "Someone else"
    with pytest.raises(ImmutableInvoiceError):
        invoice.save()
    line = invoice.lines.get()
    line.unit_cents = 1
    with pytest.raises(ImmutableInvoiceError):
        line.save()
    invoice.refresh_from_db()
    invoice.status = "paid"
    invoice.save(update_fields=["status"])
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_issued_invoice_database_trigger(cluster):
    invoice = invoice_issue(invoice_id=_draft(cluster).pk, issue_date=DAY)
    with pytest.raises(DatabaseError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(gross_cents=1, net_cents=1, vat_cents=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        InvoiceLine.objects.filter(invoice=invoice).update(unit_cents=1)
    Invoice.objects.filter(pk=invoice.pk).update(status="paid")
    assert Invoice.objects.get(pk=invoice.pk).gross_cents == 12000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_parallel_issue_is_gap_free():
    from tests.factories import ClusterFactory

    cluster = ClusterFactory()
    ids = [_draft(cluster).pk for _ in range(20)]
    barrier = threading.Barrier(20)
    errors = []

    def issue(pk):
        try:
            barrier.wait()
            invoice_issue(invoice_id=pk, issue_date=DAY)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Invoice.objects.filter(cluster=cluster).values_list("sequence", flat=True))
    assert numbers == list(range(1, 21))
