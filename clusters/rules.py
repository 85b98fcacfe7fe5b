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


@rules.predicate
def can_view_organisation(user, organisation) -> bool:
    from .selectors import can_view_organisation as visible

    if not (user.is_authenticated and organisation is not None):
        return False
    # Asked several times per page (view, introduce...): answered once per object.
    memo = organisation.__dict__.setdefault("_visible_to", {})
    if user.pk not in memo:
        memo[user.pk] = visible(user, organisation)
    return memo[user.pk]


@rules.predicate
def can_ask_introduction(user, organisation) -> bool:
    return bool(
        user.is_authenticated
        and organisation is not None
        and user.organisation_id
        and user.organisation_id != organisation.pk
        and user.organisation_id in _active_org_ids(user)
    )


def _active_org_ids(user) -> set[int]:
    # An organisation admitted to at least one cluster (not a pending applicant).
    return {user.organisation_id} if user.active_cluster_ids else set()


@rules.predicate
def is_party_to_introduction(user, introduction) -> bool:
    return bool(
        user.is_authenticated
        and user.organisation_id
        and user.organisation_id
        in (introduction.from_organisation_id, introduction.to_organisation_id)
    )


@rules.predicate
def answers_introduction(user, introduction) -> bool:
    return bool(
        user.is_authenticated
        and user.is_org_admin
        and user.organisation_id == introduction.to_organisation_id
    )


rules.add_perm("clusters.view_organisation", can_view_organisation)
rules.add_perm("clusters.request_introduction", can_ask_introduction & can_view_organisation)
rules.add_perm("clusters.view_introduction", is_party_to_introduction)
rules.add_perm("clusters.decide_introduction", answers_introduction)
rules.add_perm("clusters.export_members", is_cluster_manager | is_network_admin)
