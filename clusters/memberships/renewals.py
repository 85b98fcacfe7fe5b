"""The life of a fee membership, run once a day (or more often) by the beat task:

1. renewal: `ClusterBilling.renewal_days` before the term ends, the invoice for the next
   term is issued (full yearly fee) and the organisation's admins are told;
2. reminders: on each of `ClusterBilling.reminder_days` around an open invoice's due
   date (default -7, +7, +21), one reminder; a day missed (beat down) is not made up
   for when a later step is already due, so nobody gets two reminders at once;
3. lapse: an active membership whose term ended more than `grace_days` ago without the
   next term being paid becomes lapsed; its organisation's people are told why, and it
   no longer counts as a member (standing.py);
4. end: a membership a manager cancelled at term end becomes cancelled once its term is
   over.

Each step happens exactly once, even with two beat runs at the same time or a worker
killed mid-step. As in events.reminders, a row with a unique key (`MembershipStep`)
is the claim; unlike an event reminder, every effect of a step is a database write (the
invoice, the status, the notifications whose emails the outbox sends after commit), so
the claim is inserted in the same transaction as the effects: a second run waits on the
unique index and then finds the step taken, and a killed worker's transaction rolls
back with its claim, leaving nothing half-done for the next run to redo.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusters.enums import OrgRole
from clusters.models import User
from portal.base.audit import audit
from portal.base.enums import AuditAction
from portal.base.errors import ActionError
from portal.base.notifications import notify_many

from .actions import invoice_issue
from .enums import FeeMembershipStatus, InvoiceStatus, StepStatus, TermKind
from .models import ClusterBilling, Invoice, InvoiceLine, Membership, MembershipStep
from .payments import OPEN_STATUSES, open_cents, require_manager

log = logging.getLogger(__name__)
DAY = datetime.timedelta(days=1)


def next_term(membership: Membership) -> tuple[datetime.date, datetime.date]:
    """The term after the current one: the next calendar year, or twelve months."""
    start = membership.term_end + DAY
    if membership.plan.term_kind == TermKind.CALENDAR_YEAR:
        return start, datetime.date(start.year, 12, 31)
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = datetime.date(start.year + 1, 3, 1)
    return start, anniversary - DAY


def _claim(key: str, *, membership=None, invoice=None, status=StepStatus.DONE) -> bool:
    """Take the step `key` inside the caller's transaction; False if it is taken."""
    try:
        with transaction.atomic():
            MembershipStep.objects.create(
                key=key,
                membership=membership,
                invoice=invoice,
                status=status,
                done_by=f"{socket.gethostname()}:{os.getpid()}",
            )
    except IntegrityError:
        return False
    return True


def _people(organisation_id: int, *, admins_only: bool) -> list[User]:
    people = User.objects.filter(organisation_id=organisation_id, is_active=True)
    admins = [p for p in people if p.org_role == OrgRole.ADMIN]
    return admins if admins_only and admins else list(people)


def _invoice_context(invoice: Invoice) -> dict:
    return {
        "invoice": invoice,
        "cluster": invoice.cluster,
        "amount": f"{invoice.gross_cents / 100:.2f}",
        "open_amount": f"{open_cents(invoice) / 100:.2f}",
    }


# 1. Renewal -------------------------------------------------------------------------------


def _renewal_draft(membership: Membership, start, end) -> Invoice | None:
    org = membership.organisation
    fee = membership.plan.fee_for(org.kind, org.size)
    if fee <= 0:
        return None
    last = membership.invoices.exclude(status=InvoiceStatus.DRAFT).order_by("-pk").first()
    invoice = Invoice.objects.create(
        cluster_id=membership.plan.cluster_id,
        organisation=org,
        membership=membership,
        customer_name=last.customer_name if last else org.name,
        customer_address=last.customer_address if last else org.city,
        customer_country=last.customer_country if last else org.country,
        customer_vat_number=last.customer_vat_number if last else "",
        period_start=start,
        period_end=end,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        position=1,
        description=_("%(plan)s membership fee, %(start)s to %(end)s")
        % {"plan": membership.plan.name, "start": start.isoformat(), "end": end.isoformat()},
        unit_cents=fee,
        net_cents=fee,
        vat_cents=0,
    )
    return invoice


def renew(membership_id: int, today: datetime.date) -> bool:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("plan__cluster", "organisation")
            .get(pk=membership_id)
        )
        if membership.status != FeeMembershipStatus.ACTIVE or membership.cancel_at_term_end:
            return False
        if not _claim(f"renew:{membership.pk}:{membership.term_end}", membership=membership):
            return False
        start, end = next_term(membership)
        draft = _renewal_draft(membership, start, end)
        if draft is None:  # a free plan renews by itself
            membership.term_end = end
            membership.save(update_fields=["term_end"])
            return True
        invoice = invoice_issue(invoice_id=draft.pk, issue_date=today)
        notify_many(
            _people(membership.organisation_id, admins_only=True),
            template="memberships/email/renewal_invoice",
            context={**_invoice_context(invoice), "start": start, "end": end},
        )
        return True


def _untaken(keys: dict[str, object]) -> list:
    """The values whose step key no run has taken yet."""
    taken = set(MembershipStep.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    return [value for key, value in keys.items() if key not in taken]


def due_renewals(today: datetime.date) -> list[int]:
    keys: dict[str, object] = {}
    for billing in ClusterBilling.objects.all():
        rows = Membership.objects.filter(
            plan__cluster_id=billing.cluster_id,
            status=FeeMembershipStatus.ACTIVE,
            cancel_at_term_end=False,
            term_end__lte=today + datetime.timedelta(days=billing.renewal_days),
        ).values_list("pk", "term_end")
        keys.update({f"renew:{pk}:{end}": pk for pk, end in rows})
    return sorted(_untaken(keys))


# 2. Reminders -----------------------------------------------------------------------------


def reminder_step(invoice: Invoice, days: list[int], today: datetime.date) -> int | None:
    """The latest reminder day due for this invoice today, if any: its date has come,
    and the invoice existed on that date."""
    assert invoice.due_date is not None and invoice.issue_date is not None  # noqa: S101
    due = [
        d
        for d in days
        if invoice.due_date + datetime.timedelta(days=d) <= today
        and invoice.issue_date <= invoice.due_date + datetime.timedelta(days=d)
    ]
    return max(due) if due else None


def remind(invoice_id: int, step: int) -> bool:
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("cluster").get(pk=invoice_id)
        if invoice.status not in OPEN_STATUSES:
            return False
        if not _claim(f"remind:{invoice.pk}:{step:+d}", invoice=invoice):
            return False
        notify_many(
            _people(invoice.organisation_id, admins_only=True),
            template="memberships/email/payment_reminder",
            context={**_invoice_context(invoice), "days": abs(step), "overdue": step > 0},
        )
        return True


def due_reminders(today: datetime.date) -> list[tuple[int, int]]:
    found: dict[str, object] = {}
    for billing in ClusterBilling.objects.all():
        days = sorted(int(d) for d in billing.reminder_days or [])
        if not days:
            continue
        invoices = Invoice.objects.filter(
            cluster_id=billing.cluster_id,
            status__in=OPEN_STATUSES,
            due_date__lte=today - datetime.timedelta(days=days[0]),
        ).only("pk", "due_date", "issue_date")
        for invoice in invoices:
            step = reminder_step(invoice, days, today)
            if step is not None:
                found[f"remind:{invoice.pk}:{step:+d}"] = (invoice.pk, step)
    return _untaken(found)


# 3. Lapse and 4. end ----------------------------------------------------------------------


def lapse_or_end(membership_id: int, today: datetime.date) -> str | None:
    """Lapse an unpaid membership after its grace days, or end one cancelled at term
    end once its term is over; the new status, or None if nothing was due."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("plan__cluster", "organisation")
            .get(pk=membership_id)
        )
        if membership.status != FeeMembershipStatus.ACTIVE:
            return None
        if membership.cancel_at_term_end:
            if membership.term_end >= today:
                return None
            status, kind = FeeMembershipStatus.CANCELLED, "end"
        else:
            if membership.term_end + datetime.timedelta(days=membership.grace_days) >= today:
                return None
            status, kind = FeeMembershipStatus.LAPSED, "lapse"
        if not _claim(f"{kind}:{membership.pk}:{membership.term_end}", membership=membership):
            return None
        membership.status = status
        membership.save(update_fields=["status"])
        unpaid = membership.invoices.filter(status__in=OPEN_STATUSES).order_by("due_date").first()
        notify_many(
            _people(membership.organisation_id, admins_only=False),
            template=f"memberships/email/membership_{'lapsed' if kind == 'lapse' else 'ended'}",
            context={
                "membership": membership,
                "cluster": membership.plan.cluster,
                "organisation": membership.organisation,
                "invoice": unpaid,
                "open_amount": f"{open_cents(unpaid) / 100:.2f}" if unpaid else "",
            },
        )
        return status


def due_lapses(today: datetime.date) -> list[int]:
    billed = ClusterBilling.objects.values("cluster_id")
    rows = Membership.objects.filter(
        plan__cluster_id__in=billed, status=FeeMembershipStatus.ACTIVE, term_end__lt=today
    ).values_list("pk", "term_end", "grace_days", "cancel_at_term_end")
    return sorted(
        pk
        for pk, end, grace, cancelled in rows
        if cancelled or end + datetime.timedelta(days=grace) < today
    )


def run_day(today: datetime.date) -> dict[str, int]:
    """Everything due on `today`; safe to run twice or concurrently. One failing step
    (e.g. billing details a manager must fix) is logged and does not stop the others."""
    done = {"renewed": 0, "reminded": 0, "lapsed": 0, "ended": 0}

    def attempt(fn, *args):
        try:
            return fn(*args)
        except ActionError:
            log.exception("membership step %s%s failed", fn.__name__, args)
            return None

    for pk in due_renewals(today):
        done["renewed"] += bool(attempt(renew, pk, today))
    for pk, step in due_reminders(today):
        done["reminded"] += bool(attempt(remind, pk, step))
    for pk in due_lapses(today):
        status = attempt(lapse_or_end, pk, today)
        if status == FeeMembershipStatus.LAPSED:
            done["lapsed"] += 1
        elif status == FeeMembershipStatus.CANCELLED:
            done["ended"] += 1
    return done


# Manager actions --------------------------------------------------------------------------


def membership_cancel_at_term_end(*, actor, membership_id: int, reason: str) -> Membership:
    """No renewal invoice; the membership ends with its term (audited)."""
    reason = reason.strip()
    if not reason:
        raise ActionError(_("Give the reason for cancelling."), field="reason")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("plan__cluster")
            .get(pk=membership_id)
        )
        require_manager(actor, membership.plan.cluster)
        if membership.status != FeeMembershipStatus.ACTIVE:
            raise ActionError(_("Only an active membership can be cancelled."))
        if membership.cancel_at_term_end:
            raise ActionError(_("This membership is already cancelled at its term end."))
        membership.cancel_at_term_end = True
        membership.cancel_reason = reason[:300]
        membership.save(update_fields=["cancel_at_term_end", "cancel_reason"])
        audit(
            actor,
            AuditAction.CHANGE,
            membership,
            cluster_id=membership.plan.cluster_id,
            detail=f"cancel at term end {membership.term_end.isoformat()}: {reason}"[:500],
        )
    return membership
