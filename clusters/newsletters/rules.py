"""Who may do what with newsletters: one predicate per question."""

from collections.abc import Iterable

import rules

from clusters.rules import is_cluster_manager, is_network_admin


@rules.predicate
def manages_every_cluster(user, clusters: Iterable) -> bool:
    """A cluster manager addresses only their own clusters (at least one)."""
    if not user.is_authenticated:
        return False
    ids = {getattr(c, "pk", c) for c in clusters}
    return bool(ids) and ids <= user.managed_cluster_ids


@rules.predicate
def manages_mailing_cluster(user, mailing) -> bool:
    return bool(user.is_authenticated and mailing.cluster_id in user.managed_cluster_ids)


rules.add_perm("newsletters.address_clusters", manages_every_cluster | is_network_admin)
rules.add_perm("newsletters.manage_mailings", is_cluster_manager | is_network_admin)
rules.add_perm("newsletters.change_mailing", manages_mailing_cluster | is_network_admin)
