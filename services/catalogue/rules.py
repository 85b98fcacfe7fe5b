"""Who may manage the service catalogue. The permissions keep the names they had
when the catalogue was part of the counselling app ("services.*")."""

from __future__ import annotations

import rules

from clusters.rules import is_cluster_manager, is_network_admin


@rules.predicate
def manages_offering_cluster(user, offering) -> bool:
    return bool(user.is_authenticated and offering.cluster_id in user.managed_cluster_ids)


rules.add_perm("services.manage_offerings", is_cluster_manager | is_network_admin)
rules.add_perm("services.change_offering", manages_offering_cluster | is_network_admin)
