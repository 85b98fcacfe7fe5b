"""Who may see and change fees, plans and invoices: one predicate per question.

A cluster's managers (and network admins) run its fees; an organisation's admin reads
its own membership and invoices. Everything else answers 404 in the views."""

import rules

from clusters.rules import is_cluster_manager, is_network_admin, is_organisation_admin


@rules.predicate
def manages_invoice_cluster(user, invoice) -> bool:
    return bool(
        user.is_authenticated
        and invoice is not None
        and invoice.cluster_id in user.managed_cluster_ids
    )


@rules.predicate
def is_invoiced_organisation_admin(user, invoice) -> bool:
    return bool(
        user.is_authenticated
        and invoice is not None
        and invoice.status != "draft"
        and user.is_org_admin
        and user.organisation_id == invoice.organisation_id
    )


rules.add_perm("memberships.manage_fees", is_cluster_manager | is_network_admin)
rules.add_perm("memberships.manage_invoice", manages_invoice_cluster | is_network_admin)
rules.add_perm("memberships.view_own_fees", is_organisation_admin)
rules.add_perm("memberships.view_own_invoice", is_invoiced_organisation_admin)
