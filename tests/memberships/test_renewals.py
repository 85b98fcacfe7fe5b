import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied

from clusters.memberships.models import Invoice, Membership, MembershipStep
from clusters.memberships.payments import invoice_waive, payment_record
from clusters.memberships.renewals import membership_cancel_at_term_end, next_term, run_day
from clusters.memberships.tasks import run_billing_day
from clusters.models import User
from portal.base.errors import ActionError
from portal.base.models import AuditEntry, Notification
from tests.factories import UserFactory

D = datetime.date
NOTHING = {"renewed": 0, "reminded": 0, "lapsed": 0, "ended": 0}


def _beat_twice(day: D) -> list[dict]:
    """What beat does, run twice on `day` at 03:00 in the portal's time zone."""
    at = datetime.datetime(day.year, day.month, day.day, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        return [run_billing_day(), run_billing_day()]


def _subjects(user):
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True)
    )


@pytest.fixture
def colleague(org):
    return UserFactory(email="colleague@biotech.example", organisation=org)


def test_beat_runs_the_billing_day_hourly():
    assert settings.CELERY_BEAT_SCHEDULE["memberships.run_billing_day"] == {
        "task": "memberships.run_billing_day",
        "schedule": 3600.0,
        "options": {"expires": 3300},
    }


def test_next_term_calendar_year_and_twelve_months(fee_membership):
    assert next_term(fee_membership) == (D(2028, 1, 1), D(2028, 12, 31))
    fee_membership.plan.term_kind = "12months"
    fee_membership.term_end = D(2028, 2, 28)
    assert next_term(fee_membership) == (D(2028, 2, 29), D(2029, 2, 28))
    fee_membership.term_end = D(2027, 6, 14)
    assert next_term(fee_membership) == (D(2027, 6, 15), D(2028, 6, 14))


def test_year_end_life_each_step_once_with_beat_running_twice(
    cluster, billing, fee_membership, org_admin, colleague, manager
):
    """Term ends 31 December 2027: renewal invoice on 1 December (30 days before) for
    2028, reminders 7 days before the due date (31 December) and 7 and 21 days after,
    lapse once the 30 grace days after the term are over; paying brings it back."""
    assert _beat_twice(D(2027, 11, 30)) == [NOTHING, NOTHING]
    assert _beat_twice(D(2027, 12, 1)) == [{**NOTHING, "renewed": 1}, NOTHING]
    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.issue_date, invoice.due_date) == (
        "GENOPOLE-TES-2027-00001",
        D(2027, 12, 1),
        D(2027, 12, 31),
    )
    assert (invoice.period_start, invoice.period_end, invoice.membership) == (
        D(2028, 1, 1),
        D(2028, 12, 31),
        fee_membership,
    )
    assert (invoice.net_cents, invoice.vat_cents, invoice.gross_cents) == (60000, 12000, 72000)
    assert invoice.lines.get().description == "Standard membership fee, 2028-01-01 to 2028-12-31"
    assert _subjects(org_admin) == [
        "Genopole Test: membership renewal invoice GENOPOLE-TES-2027-00001"
    ]

    assert _beat_twice(D(2027, 12, 23)) == [NOTHING, NOTHING]
    assert _beat_twice(D(2027, 12, 24)) == [{**NOTHING, "reminded": 1}, NOTHING]
    assert _beat_twice(D(2027, 12, 25)) == [NOTHING, NOTHING]
    assert _beat_twice(D(2028, 1, 7)) == [{**NOTHING, "reminded": 1}, NOTHING]
    assert _beat_twice(D(2028, 1, 21)) == [{**NOTHING, "reminded": 1}, NOTHING]
    assert _beat_twice(D(2028, 1, 30)) == [NOTHING, NOTHING]  # the 30th grace day
    assert User.objects.get(pk=org_admin.pk).active_cluster_ids == {cluster.pk}

    assert _beat_twice(D(2028, 1, 31)) == [{**NOTHING, "lapsed": 1}, NOTHING]
    assert Membership.objects.get().status == "lapsed"
    number = "GENOPOLE-TES-2027-00001"
    assert _subjects(org_admin) == [
        f"Genopole Test: membership renewal invoice {number}",
        f"Reminder: invoice {number} is due soon",
        f"Overdue: invoice {number}",
        f"Overdue: invoice {number}",
        "Your membership of Genopole Test has lapsed",
    ]
    # Everyone of the organisation is told why (the colleague got no invoice mails).
    assert _subjects(colleague) == ["Your membership of Genopole Test has lapsed"]
    lapsed = Notification.objects.filter(recipient=colleague).get()
    assert "Member-only services" in lapsed.body and invoice.rf_reference in lapsed.body
    assert "21 days overdue: 720.00 EUR are still open" in (
        Notification.objects.filter(recipient=org_admin).order_by("pk")[3].body
    )
    # A lapsed organisation is not a member any more (the one place that decides it).
    person = User.objects.get(pk=colleague.pk)
    assert (person.active_cluster_ids, person.is_approved_member) == (set(), False)
    assert sorted(MembershipStep.objects.values_list("key", flat=True)) == sorted(
        [
            f"renew:{fee_membership.pk}:2027-12-31",
            f"remind:{invoice.pk}:-7",
            f"remind:{invoice.pk}:+7",
            f"remind:{invoice.pk}:+21",
            f"lapse:{fee_membership.pk}:2027-12-31",
        ]
    )

    payment_record(
        actor=manager, invoice_id=invoice.pk, amount_cents=72000, booked_on=D(2028, 2, 2)
    )
    membership = Membership.objects.get()
    assert (membership.status, membership.term_end) == ("active", D(2028, 12, 31))
    assert User.objects.get(pk=colleague.pk).active_cluster_ids == {cluster.pk}
    assert _beat_twice(D(2028, 2, 11)) == [NOTHING, NOTHING]
    # The next year's renewal comes 30 days before the new term end.
    assert _beat_twice(D(2028, 12, 1)) == [{**NOTHING, "renewed": 1}, NOTHING]
    assert Invoice.objects.order_by("pk").last().number == "GENOPOLE-TES-2028-00001"


def test_paid_on_time_gets_no_reminder_and_does_not_lapse(
    billing, fee_membership, org_admin, manager
):
    _beat_twice(D(2027, 12, 1))
    invoice = Invoice.objects.get()
    payment_record(
        actor=manager, invoice_id=invoice.pk, amount_cents=72000, booked_on=D(2027, 12, 5)
    )
    for day in (D(2027, 12, 24), D(2028, 1, 7), D(2028, 1, 21), D(2028, 2, 15)):
        assert _beat_twice(day) == [NOTHING, NOTHING]
    assert Membership.objects.get().term_end == D(2028, 12, 31)


def test_part_paid_invoice_is_still_reminded_of_the_open_amount(
    billing, fee_membership, org_admin, manager
):
    _beat_twice(D(2027, 12, 1))
    invoice = Invoice.objects.get()
    payment_record(
        actor=manager, invoice_id=invoice.pk, amount_cents=20000, booked_on=D(2027, 12, 5)
    )
    _beat_twice(D(2028, 1, 7))
    body = Notification.objects.filter(recipient=org_admin).order_by("pk").last().body
    assert body.startswith(
        f"Invoice {invoice.number} from Genopole Test is 7 days overdue: 520.00 EUR are still open."
    )


def test_missed_days_send_only_the_latest_reminder(billing, fee_membership, org_admin):
    _beat_twice(D(2027, 12, 1))
    # Beat was down from 20 December to 8 January: one reminder, not two at once.
    assert _beat_twice(D(2028, 1, 8)) == [{**NOTHING, "reminded": 1}, NOTHING]
    assert _subjects(org_admin)[1:] == ["Overdue: invoice GENOPOLE-TES-2027-00001"]


def test_cancel_at_term_end_is_audited_and_ends_without_renewal(
    cluster, billing, fee_membership, org_admin, manager, member
):
    with pytest.raises(PermissionDenied):
        membership_cancel_at_term_end(actor=member, membership_id=fee_membership.pk, reason="x")
    with pytest.raises(ActionError):
        membership_cancel_at_term_end(actor=manager, membership_id=fee_membership.pk, reason=" ")
    membership_cancel_at_term_end(
        actor=manager, membership_id=fee_membership.pk, reason="Company closes its French site"
    )
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id, entry.detail) == (
        manager,
        "change",
        "memberships.Membership",
        str(fee_membership.pk),
        "cancel at term end 2027-12-31: Company closes its French site",
    )
    assert _beat_twice(D(2027, 12, 1)) == [NOTHING, NOTHING]
    assert Invoice.objects.count() == 0
    assert _beat_twice(D(2027, 12, 31)) == [NOTHING, NOTHING]
    assert _beat_twice(D(2028, 1, 1)) == [{**NOTHING, "ended": 1}, NOTHING]
    assert Membership.objects.get().status == "cancelled"
    assert _subjects(org_admin) == ["Your membership of Genopole Test has ended"]
    assert User.objects.get(pk=org_admin.pk).active_cluster_ids == set()


def test_waived_renewal_keeps_the_membership(billing, fee_membership, org_admin, manager):
    _beat_twice(D(2027, 12, 1))
    invoice = Invoice.objects.get()
    invoice_waive(actor=manager, invoice_id=invoice.pk, reason="Founding member", on=D(2027, 12, 3))
    assert AuditEntry.objects.get().detail.startswith("waived 720.00 (")
    assert (Invoice.objects.get().status, Membership.objects.get().term_end) == (
        "credited",
        D(2028, 12, 31),
    )
    for day in (D(2027, 12, 24), D(2028, 2, 15)):
        assert _beat_twice(day) == [NOTHING, NOTHING]


def test_run_day_without_billing_details_does_nothing(fee_membership):
    assert run_day(D(2028, 3, 1)) == NOTHING
    assert Membership.objects.get().status == "active"


def test_lapsed_plan_does_not_count_when_another_fee_membership_is_active(
    cluster, fee_membership, org_admin
):
    Membership.objects.filter(pk=fee_membership.pk).update(status="lapsed")
    assert User.objects.get(pk=org_admin.pk).active_cluster_ids == set()
    from clusters.memberships.models import MembershipPlan

    other = MembershipPlan.objects.create(cluster=cluster, name="Start-up", fees_cents={})
    Membership.objects.create(
        organisation=fee_membership.organisation,
        plan=other,
        start=D(2028, 1, 1),
        term_end=D(2028, 12, 31),
    )
    assert User.objects.get(pk=org_admin.pk).active_cluster_ids == {cluster.pk}
