"""Writes of billing details: the cluster's (issuer) and an organisation's (customer).

The cluster's details live in ClusterBilling and are copied onto each invoice it
issues. An organisation has no billing model yet: its admin's details go on its draft
invoices, and each new draft copies those of the organisation's latest invoice
(selectors.customer_details_for)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from portal.base.audit import audit
from portal.base.errors import ActionError

from .models import ClusterBilling
from .references import clean_bic, clean_iban
from .selectors import draft_invoices_of_organisation
from .vat import clean_vat_number, standard_rates


class BillingProblems(ActionError):
    """Several fields are wrong at once; `problems` holds one ActionError per field."""

    def __init__(self, problems: list[ActionError]):
        super().__init__(" ".join(p.message for p in problems), field=problems[0].field)
        self.problems = problems


def _checked(check, value: str, problems: list[ActionError]) -> str:
    try:
        return check(value)
    except ActionError as exc:
        problems.append(exc)
        return value


def _vat_matches_country(vat_number: str, country: str, problems: list[ActionError]) -> None:
    prefix = {"GR": "EL"}.get(country, country)
    if vat_number and not vat_number.upper().startswith(prefix):
        problems.append(
            ActionError(
                _(
                    "The VAT number %(number)s is not one of %(country)s: it should start "
                    "with %(prefix)s."
                )
                % {"number": vat_number, "country": country, "prefix": prefix},
                field="vat_number",
            )
        )


def cluster_billing_save(
    *,
    actor,
    cluster,
    legal_name: str,
    address: str,
    country: str,
    vat_number: str,
    iban: str,
    bic: str,
    due_days: int,
    renewal_days: int,
) -> ClusterBilling:
    if not actor.has_perm("memberships.manage_fees", cluster):
        raise PermissionDenied
    problems: list[ActionError] = []
    if country not in standard_rates():
        problems.append(
            ActionError(_("Invoices are issued from an EU member state."), field="country")
        )
    if not vat_number.strip():
        problems.append(ActionError(_("The issuer's VAT number is required."), field="vat_number"))
    vat_number = _checked(clean_vat_number, vat_number, problems)
    if country in standard_rates() and not any(p.field == "vat_number" for p in problems):
        _vat_matches_country(vat_number, country, problems)
    iban = _checked(clean_iban, iban, problems)
    bic = _checked(clean_bic, bic, problems)
    if problems:
        raise BillingProblems(problems)
    with transaction.atomic():
        billing, _created = ClusterBilling.objects.update_or_create(
            cluster=cluster,
            defaults={
                "legal_name": legal_name,
                "address": address,
                "country": country,
                "vat_number": vat_number,
                "iban": iban,
                "bic": bic,
                "due_days": due_days,
                "renewal_days": renewal_days,
            },
        )
    audit(actor, "change", billing, cluster_id=cluster.pk, detail="cluster billing details")
    return billing


def organisation_billing_save(
    *, actor, organisation, name: str, address: str, country: str, vat_number: str
) -> int:
    """Put the organisation's billing details on its draft invoices; the number of
    drafts changed. Issued invoices keep the details they were issued with."""
    if not actor.has_perm("memberships.view_own_fees", organisation):
        raise PermissionDenied
    problems: list[ActionError] = []
    vat_number = _checked(clean_vat_number, vat_number, problems)
    if not problems and country in standard_rates():
        _vat_matches_country(vat_number, country, problems)
    if problems:
        raise BillingProblems(problems)
    with transaction.atomic():
        drafts = list(draft_invoices_of_organisation(organisation).select_for_update())
        if not drafts:
            raise ActionError(
                _(
                    "No invoice is being prepared for your organisation: the details can be "
                    "changed when your cluster prepares the next one."
                )
            )
        for invoice in drafts:
            invoice.customer_name = name
            invoice.customer_address = address
            invoice.customer_country = country
            invoice.customer_vat_number = vat_number
            invoice.save(
                update_fields=[
                    "customer_name",
                    "customer_address",
                    "customer_country",
                    "customer_vat_number",
                ]
            )
    return len(drafts)
