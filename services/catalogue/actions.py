"""Writes of the service catalogue: managers create and edit their cluster's offerings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusters.enums import StaffRole
from clusters.models import ClusterRole
from portal.base.errors import ActionError

from .enums import OfferingTerms
from .models import ServiceOffering

FIELDS = (
    "category",
    "title",
    "description",
    "provider_advisor",
    "provider_organisation",
    "terms",
    "price_note",
    "response_days",
    "is_active",
)


def _check(cluster, fields: dict) -> None:
    advisor = fields.get("provider_advisor")
    if (
        advisor is not None
        and not ClusterRole.objects.filter(
            user=advisor, cluster=cluster, role=StaffRole.ADVISOR
        ).exists()
    ):
        raise ActionError(_("Choose an advisor of this cluster."), field="provider_advisor")
    if advisor is not None and fields.get("provider_organisation") is not None:
        raise ActionError(
            _("Choose either an advisor or a partner organisation, not both."),
            field="provider_organisation",
        )
    days = fields.get("response_days")
    if days is not None and not (
        ServiceOffering.RESPONSE_DAYS_MIN <= days <= ServiceOffering.RESPONSE_DAYS_MAX
    ):
        raise ActionError(_("Enter a number of working days from 1 to 60."), field="response_days")
    if fields.get("terms") == OfferingTerms.PRICED and not (fields.get("price_note") or "").strip():
        raise ActionError(_("Say what the service costs."), field="price_note")


def _integrity_error(cluster, title, *, exclude) -> ActionError:
    """Name the rule the database refused: the unique title only when it is the title."""
    same_title = ServiceOffering.objects.filter(cluster=cluster, title=title).exclude(pk=exclude)
    if same_title.exists():
        return ActionError(
            _("This cluster already offers a service with this title."), field="title"
        )
    return ActionError(_("The service could not be saved; check the fields and try again."))


def offering_create(*, actor, cluster, **fields) -> ServiceOffering:
    if not actor.has_perm("services.manage_offerings", cluster):
        raise PermissionDenied
    data = {k: v for k, v in fields.items() if k in FIELDS}
    _check(cluster, data)
    try:
        with transaction.atomic():
            return ServiceOffering.objects.create(cluster=cluster, **data)
    except IntegrityError as exc:
        raise _integrity_error(cluster, data.get("title"), exclude=None) from exc


def offering_update(*, actor, offering: ServiceOffering, **fields) -> ServiceOffering:
    if not actor.has_perm("services.change_offering", offering):
        raise PermissionDenied
    data = {k: v for k, v in fields.items() if k in FIELDS}
    _check(offering.cluster, data)
    for key, value in data.items():
        setattr(offering, key, value)
    try:
        with transaction.atomic():
            offering.save(update_fields=[*data.keys(), "updated"])
    except IntegrityError as exc:
        raise _integrity_error(offering.cluster, offering.title, exclude=offering.pk) from exc
    return offering
