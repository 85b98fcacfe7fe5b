import datetime

import pytest
from django.core.exceptions import PermissionDenied

from clusters.memberships.models import Invoice, Overpayment, Payment
from clusters.memberships.payments import (
    invoice_waive,
    open_cents,
    payment_record,
    provider_payment_confirmed,
)
from portal.base.errors import ActionError
from portal.base.models import AuditEntry
from tests.factories import OrganisationFactory

from .conftest import issue

DAY = datetime.date(2027, 12, 10)


@pytest.fixture
def invoice(cluster, billing):
    return issue(cluster, OrganisationFactory())  # 120.00 EUR gross


def _status(invoice):
    return Invoice.objects.get(pk=invoice.pk).status


def test_partial_payments_leave_invoice_part_paid_then_paid(invoice, manager):
    first = payment_record(
        actor=manager,
        invoice_id=invoice.pk,
        amount_cents=5000,
        booked_on=DAY,
        reference="cheque 0012",
        note="first half",
    )
    assert (_status(invoice), open_cents(invoice)) == ("part_paid", 7000)
    assert (first.source, first.recorded_by, first.note) == ("manual", manager, "first half")
    payment_record(actor=manager, invoice_id=invoice.pk, amount_cents=7000, booked_on=DAY)
    assert (_status(invoice), open_cents(invoice)) == ("paid", 0)
    # Status moved on; nothing else of the issued invoice changed.
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.gross_cents, stored.number) == (12000, invoice.number)


def test_overpayment_is_refused_until_the_manager_chooses(invoice, manager):
    with pytest.raises(ActionError) as err:
        payment_record(actor=manager, invoice_id=invoice.pk, amount_cents=15000, booked_on=DAY)
    assert err.value.field == "overpayment"
    assert err.value.message == (
        f"150.00 is 30.00 more than the 120.00 still open on invoice {invoice.number}. "
        "Choose what to do with the rest: keep it as credit on the organisation's account, "
        "or refund it."
    )
    assert (Payment.objects.count(), _status(invoice)) == (0, "issued")

    payment = payment_record(
        actor=manager,
        invoice_id=invoice.pk,
        amount_cents=15000,
        booked_on=DAY,
        overpayment="refund",
    )
    assert payment.amount_cents == 12000
    rest = Overpayment.objects.get()
    assert (rest.payment, rest.amount_cents, rest.handling, rest.organisation_id) == (
        payment,
        3000,
        "refund",
        invoice.organisation_id,
    )
    assert _status(invoice) == "paid"


def test_overpayment_kept_as_credit(invoice, manager):
    payment_record(actor=manager, invoice_id=invoice.pk, amount_cents=2000, booked_on=DAY)
    payment_record(
        actor=manager,
        invoice_id=invoice.pk,
        amount_cents=12000,
        booked_on=DAY,
        overpayment="credit",
    )
    assert list(Overpayment.objects.values_list("amount_cents", "handling")) == [(2000, "credit")]


def test_paid_invoice_takes_no_more_and_zero_is_refused(invoice, manager):
    with pytest.raises(ActionError, match="more than zero"):
        payment_record(actor=manager, invoice_id=invoice.pk, amount_cents=0, booked_on=DAY)
    payment_record(actor=manager, invoice_id=invoice.pk, amount_cents=12000, booked_on=DAY)
    with pytest.raises(ActionError, match="is Paid: it takes no more payments"):
        payment_record(
            actor=manager,
            invoice_id=invoice.pk,
            amount_cents=100,
            booked_on=DAY,
            overpayment="credit",
        )


def test_only_the_clusters_managers_record_payments(invoice, member, advisor):
    for person in (member, advisor):
        with pytest.raises(PermissionDenied):
            payment_record(actor=person, invoice_id=invoice.pk, amount_cents=100, booked_on=DAY)
    assert Payment.objects.count() == 0


def test_waive_issues_a_credit_note_and_is_audited(invoice, manager):
    payment_record(actor=manager, invoice_id=invoice.pk, amount_cents=2000, booked_on=DAY)
    with pytest.raises(ActionError):
        invoice_waive(actor=manager, invoice_id=invoice.pk, reason="  ", on=DAY)
    note = invoice_waive(
        actor=manager, invoice_id=invoice.pk, reason="Start-up in its first year", on=DAY
    )
    assert (note.number, note.gross_cents, note.net_cents, note.vat_cents) == (
        f"{invoice.number}-CN1",
        10000,
        8333,
        1667,
    )
    assert (_status(invoice), open_cents(invoice)) == ("credited", 0)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        manager,
        "change",
        "memberships.Invoice",
        str(invoice.pk),
    )
    assert entry.detail == f"waived 100.00 ({invoice.number}-CN1): Start-up in its first year"


def test_provider_confirmation_twice_books_once(invoice):
    kwargs = {
        "provider": "example-psp",
        "provider_payment_id": "pay_123",
        "invoice_id": invoice.pk,
        "amount_cents": 12000,
        "booked_on": DAY,
    }
    first = provider_payment_confirmed(**kwargs)
    second = provider_payment_confirmed(**kwargs)
    assert first == second
    assert (Payment.objects.get().import_key, _status(invoice)) == ("example-psp:pay_123", "paid")
