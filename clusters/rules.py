"""Who may do what in the clusters app: one predicate per question."""

import rules


@rules.predicate
def is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


@rules.predicate
def is_approved_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_approved_member)


@rules.predicate
def is_cluster_manager(user, cluster) -> bool:
    return bool(
        user.is_authenticated and cluster is not None and cluster.pk in user.managed_cluster_ids
    )


@rules.predicate
def is_cluster_staff(user, cluster) -> bool:
    return bool(user.is_authenticated and cluster is not None and cluster.pk in user.staff_roles)


@rules.predicate
def is_any_cluster_manager(user) -> bool:
    return bool(user.is_authenticated and user.managed_cluster_ids)


@rules.predicate
def belongs_to_organisation(user, organisation) -> bool:
    return bool(user.is_authenticated and organisation and user.organisation_id == organisation.pk)


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    return bool(belongs_to_organisation(user, organisation) and user.is_org_admin)


@rules.predicate
def manages_membership_cluster(user, membership) -> bool:
    return bool(user.is_authenticated and membership.cluster_id in user.managed_cluster_ids)


rules.add_perm("clusters.manage_cluster", is_cluster_manager | is_network_admin)
rules.add_perm("clusters.view_cluster_staff_pages", is_cluster_staff | is_network_admin)
rules.add_perm("clusters.review_applications", is_any_cluster_manager | is_network_admin)
rules.add_perm("clusters.decide_membership", manages_membership_cluster | is_network_admin)
rules.add_perm("clusters.view_organisation_people", belongs_to_organisation | is_network_admin)
rules.add_perm("clusters.manage_organisation", is_organisation_admin)
rules.add_perm("clusters.use_member_pages", is_approved_member)
