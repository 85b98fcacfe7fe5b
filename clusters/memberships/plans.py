"""Writes of membership plans. A plan's fees are read when an invoice is prepared and
copied onto its lines, so editing a plan never changes an invoice already made."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.base.audit import audit
from portal.base.errors import ActionError

from .models import MembershipPlan

PLAN_FIELDS = (
    "name",
    "fees_cents",
    "term_kind",
    "pro_rata",
    "free_room_hours",
    "event_discount_percent",
)


def plan_save(*, actor, cluster, plan: MembershipPlan | None = None, **values) -> MembershipPlan:
    """Create a plan of `cluster` (plan=None) or change `plan`; `values` are PLAN_FIELDS."""
    if not actor.has_perm("memberships.manage_fees", cluster):
        raise PermissionDenied
    if plan is not None and plan.cluster_id != cluster.pk:
        raise PermissionDenied
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    same_name = MembershipPlan.objects.filter(cluster=cluster, name=values["name"])
    if plan is not None:
        same_name = same_name.exclude(pk=plan.pk)
    if same_name.exists():
        raise ActionError(_("The cluster already has a plan of this name."), field="name")
    plan = plan or MembershipPlan(cluster=cluster)
    for key, value in values.items():
        setattr(plan, key, value)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # a parallel save took the name
        raise ActionError(_("The cluster already has a plan of this name."), field="name") from exc
    audit(actor, "change", plan, cluster_id=cluster.pk, detail=f"membership plan {plan.name}")
    return plan
