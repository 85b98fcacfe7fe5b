"""Who may do what with counselling requests: one predicate per question (the
catalogue's permissions are in services/catalogue/rules.py)."""

from __future__ import annotations

import rules

from clusters.rules import is_network_admin


def request_roles(user, counselling_request) -> set[str]:
    """The workflow roles `user` holds on a counselling request (see services.counselling.workflow)."""
    if not (user and user.is_authenticated and user.is_active) or counselling_request is None:
        return set()
    roles = set()
    if (
        user.is_network_admin
        or user.is_superuser
        or counselling_request.cluster_id in user.managed_cluster_ids
    ):
        roles.add("manager")
    if counselling_request.assignee_id is not None and counselling_request.assignee_id == user.pk:
        roles.add("advisor")
    if (
        user.organisation_id
        and user.organisation_id == counselling_request.requester_organisation_id
    ):
        roles.add("member")
    return roles


@rules.predicate
def can_see_request(user, counselling_request) -> bool:
    return bool(request_roles(user, counselling_request))


@rules.predicate
def is_request_staff(user, counselling_request) -> bool:
    return bool(request_roles(user, counselling_request) & {"manager", "advisor"})


@rules.predicate
def is_requesting_member(user, counselling_request) -> bool:
    return "member" in request_roles(user, counselling_request)


@rules.predicate
def can_submit_requests(user) -> bool:
    return bool(user and user.is_authenticated and user.organisation_id and user.active_cluster_ids)


@rules.predicate
def works_a_queue(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.managed_cluster_ids or user.advised_cluster_ids or user.is_network_admin)
    )


@rules.predicate
def manages_some_cluster(user) -> bool:
    return bool(user and user.is_authenticated and user.managed_cluster_ids)


@rules.predicate
def can_see_attachment(user, attachment) -> bool:
    roles = request_roles(user, attachment.request)
    if not roles:
        return False
    if attachment.message_id and attachment.message.internal:
        return bool(roles & {"manager", "advisor"})
    return True


rules.add_perm("services.submit_request", can_submit_requests)
rules.add_perm("services.view_request", can_see_request)
rules.add_perm("services.view_internal_notes", is_request_staff)
rules.add_perm("services.rate_request", is_requesting_member)
rules.add_perm("services.view_attachment", can_see_attachment)
rules.add_perm("services.view_assigned", works_a_queue)
rules.add_perm("services.view_queue", manages_some_cluster | is_network_admin)
