import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from clusters.memberships.models import (
    BankStatement,
    Invoice,
    Overpayment,
    Payment,
    StatementLine,
)
from clusters.memberships.payments import open_cents
from clusters.memberships.statements import (
    parse_amount,
    parse_camt053,
    references_in,
    statement_import,
    statement_line_assign,
)
from portal.base.errors import ActionError

DATA = Path(__file__).parent / "data"
CSV = (DATA / "statement_2027-12.csv").read_bytes()
CAMT = (DATA / "statement_2027-12.camt053.xml").read_bytes()


def _import(manager, cluster, data, name="statement.csv", **kw):
    return statement_import(actor=manager, cluster_id=cluster.pk, filename=name, data=data, **kw)


def _states(invoices):
    return [
        (i.status, open_cents(i))
        for i in Invoice.objects.filter(pk__in=[i.pk for i in invoices]).order_by("sequence")
    ]


def _unmatched():
    return list(
        StatementLine.objects.filter(status="unmatched")
        .order_by("position")
        .values_list("amount_cents", "problem")
    )


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("120,00", 12000),
        ("1.250,00", 125000),
        ("1,250.00", 125000),
        ("-35,90", -3590),
        ("+12", 1200),
        ("1 234,5", 123450),
        ("0.07", 7),
    ],
)
def test_amounts_as_european_banks_write_them(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["12,345,6", "12.345", "abc", "", "1,2345"])
def test_not_amounts(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_csv_import_matches_by_rf_and_keeps_the_rest(cluster42, manager42, invoices42):
    result = _import(manager42, cluster42, CSV)
    assert (result.matched, result.unmatched, result.known, result.debits) == (2, 3, 0, 1)
    assert _states(invoices42) == [
        ("paid", 0),
        ("part_paid", 7000),
        ("issued", 12000),
        ("issued", 12000),
    ]
    assert _unmatched() == [
        (
            125000,
            f"1250.00 is 1130.00 more than the 120.00 still open on invoice "
            f"{invoices42[2].number}. Choose what to do with the rest: keep it as credit on "
            "the organisation's account, or refund it.",
        ),
        (8000, "No valid RF reference."),
        (12000, "No valid RF reference."),  # RF08...: wrong check digits
    ]
    paid = Payment.objects.get(invoice=invoices42[0])
    assert (paid.source, paid.reference, paid.booked_on, paid.note) == (
        "statement",
        "RF0700422027000001",
        datetime.date(2027, 12, 15),
        "BioTech Évry SAS",
    )
    line = StatementLine.objects.get(payment=paid)
    assert (line.iban, line.currency, line.position) == ("FR7630004000031234567890143", "EUR", 2)


def test_importing_the_same_statements_twice_books_nothing_twice(cluster42, manager42, invoices42):
    _import(manager42, cluster42, CSV)
    camt = _import(manager42, cluster42, CAMT, name="camt.xml")
    assert (camt.matched, camt.unmatched, camt.known, camt.debits) == (2, 1, 0, 1)
    before = (Payment.objects.count(), StatementLine.objects.count(), _states(invoices42))
    assert before == (
        4,
        8,
        [("paid", 0), ("paid", 0), ("issued", 12000), ("paid", 0)],
    )
    again_csv = _import(manager42, cluster42, CSV)
    again_camt = _import(manager42, cluster42, CAMT, name="camt.xml")
    assert (again_csv.matched, again_csv.unmatched, again_csv.known) == (0, 0, 5)
    assert (again_camt.matched, again_camt.unmatched, again_camt.known) == (0, 0, 3)
    assert (Payment.objects.count(), StatementLine.objects.count(), _states(invoices42)) == before
    assert list(BankStatement.objects.order_by("pk").values_list("lines_new", "lines_known")) == [
        (5, 0),
        (3, 0),
        (0, 5),
        (0, 3),
    ]


def test_camt053_lines_and_keys(cluster42):
    lines = parse_camt053(CAMT)
    assert [
        (ln.label, ln.amount_cents, ln.booked_on, ln.counterparty, ln.iban, ln.import_key)
        for ln in lines
    ] == [
        (
            "Entry 1, transaction 1",
            12000,
            datetime.date(2027, 12, 21),
            "Neuron Lab BV",
            "NL91ABNA0417164300",
            "bank:2027122100000417",
        ),
        (
            "Entry 2, transaction 1",
            7000,
            datetime.date(2027, 12, 21),
            "Genomix GmbH",
            "DE89370400440532013000",
            "bank:2027122100000418-1",
        ),
        (
            "Entry 2, transaction 2",
            3000,
            datetime.date(2027, 12, 21),
            "Association Bio Essonne",
            "",
            "bank:2027122100000418-2",
        ),
        ("Entry 3", -1250, datetime.date(2027, 12, 21), "", "", "bank:2027122100000419"),
    ]
    assert lines[0].reference == "RF2300422027000004"
    assert lines[1].remittance == "Restzahlung Mitgliedsbeitrag RF77 0042 2027 0000 02"
    assert references_in(lines[1]) == ["RF7700422027000002"]


def test_unmatched_line_assigned_later_with_the_rest_refunded(cluster42, manager42, invoices42):
    _import(manager42, cluster42, CSV)
    line = StatementLine.objects.get(amount_cents=125000)
    with pytest.raises(ActionError, match="Choose what to do with the rest"):
        statement_line_assign(actor=manager42, line_id=line.pk, invoice_id=invoices42[2].pk)
    payment = statement_line_assign(
        actor=manager42, line_id=line.pk, invoice_id=invoices42[2].pk, overpayment="refund"
    )
    assert (payment.amount_cents, payment.import_key) == (12000, line.import_key)
    assert list(Overpayment.objects.values_list("amount_cents", "handling")) == [(113000, "refund")]
    line.refresh_from_db()
    assert (line.status, line.problem, line.payment) == ("assigned", "", payment)
    assert _states(invoices42)[2] == ("paid", 0)
    with pytest.raises(ActionError, match="already booked"):
        statement_line_assign(actor=manager42, line_id=line.pk, invoice_id=invoices42[3].pk)
    # The statement imported again does not book the assigned line a second time.
    assert _import(manager42, cluster42, CSV).known == 5
    assert Payment.objects.count() == 3


def test_import_with_overpayment_kept_as_credit(cluster42, manager42, invoices42):
    result = _import(manager42, cluster42, CSV, overpayment="credit")
    assert (result.matched, result.unmatched) == (3, 2)
    assert list(Overpayment.objects.values_list("amount_cents", "handling")) == [(113000, "credit")]


def test_bad_csv_names_the_line_and_imports_nothing(cluster42, manager42, invoices42):
    bad = CSV.replace(b"1.250,00", b"12,345,6")
    with pytest.raises(ActionError) as err:
        _import(manager42, cluster42, bad)
    assert err.value.message == "Line 4: 12,345,6 is not an amount."
    with pytest.raises(ActionError) as err:
        _import(manager42, cluster42, CSV.replace(b"19.12.2027", b"2027-13-19"))
    assert err.value.message == "Line 6: 2027-13-19 is not a date."
    with pytest.raises(ActionError) as err:
        _import(manager42, cluster42, b"Date,Amount\n2027-12-01,10.00\n")
    assert err.value.message == (
        "Line 1: the header lacks the columns currency, counterparty, iban, remittance "
        "(expected: date, amount, currency, counterparty, iban, remittance)."
    )
    assert (BankStatement.objects.count(), StatementLine.objects.count()) == (0, 0)
    assert (Payment.objects.count(), _states(invoices42)[0]) == (0, ("issued", 12000))


def test_csv_with_commas_and_decimal_points(cluster42, manager42, invoices42):
    data = (
        b"date,amount,currency,counterparty,iban,remittance\n"
        b'2027-12-15,"1,234.00",EUR,"Big Pharma, Inc.",,RF2300422027000004\n'
        b"2027-12-16,120.00,EUR,Small Co,,RF0700422027000001 thanks\n"
    )
    result = _import(manager42, cluster42, data, overpayment="refund")
    assert (result.matched, result.unmatched) == (2, 0)
    assert StatementLine.objects.get(position=2).counterparty == "Big Pharma, Inc."


def test_camt_with_a_dtd_or_entities_is_refused(cluster42, manager42):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Document>&lol2;</Document>'
    )
    with pytest.raises(ActionError) as err:
        _import(manager42, cluster42, laughs, name="evil.xml")
    assert err.value.message == "The file declares a DTD or entities, which are not accepted."
    assert BankStatement.objects.count() == 0


def test_bad_camt_names_the_place(cluster42, manager42, invoices42):
    broken = CAMT.replace(b"</Ntry>\n      <Ntry>", b"</Ntry>\n      <Ntry", 1)
    with pytest.raises(ActionError, match=r"^Line \d+, column \d+: the XML is not well-formed"):
        _import(manager42, cluster42, broken)
    no_date = CAMT.replace(b"<BookgDt><Dt>2027-12-21</Dt></BookgDt>", b"", 2)
    with pytest.raises(ActionError) as err:
        _import(manager42, cluster42, no_date)
    assert err.value.message == "Entry 1, transaction 1: no booking date (BookgDt)."
    with pytest.raises(ActionError, match="not a camt.053 statement"):
        _import(manager42, cluster42, b"<Document><Other/></Document>")
    assert (BankStatement.objects.count(), Payment.objects.count()) == (0, 0)


def test_only_managers_import(cluster42, invoices42):
    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        _import(UserFactory(member_of=cluster42), cluster42, CSV)
