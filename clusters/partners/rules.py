"""Who may do what with partner suggestions."""

import rules

from clusters.rules import is_cluster_manager, is_network_admin


@rules.predicate
def suggestion_is_for_own_organisation(user, suggestion) -> bool:
    return bool(
        user.is_authenticated
        and suggestion is not None
        and user.organisation_id
        and user.organisation_id == suggestion.organisation_id
    )


rules.add_perm("partners.dismiss_suggestion", suggestion_is_for_own_organisation)
rules.add_perm("partners.view_cluster_report", is_cluster_manager | is_network_admin)
