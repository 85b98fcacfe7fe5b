"""Who may do what with brokerage meetings: one predicate per question."""

import rules

from clusters.rules import is_network_admin
from events.enums import RegistrationStatus
from events.rules import manages_event


@rules.predicate
def brokerage_enabled(user, event) -> bool:
    # The reverse one-to-one raises RelatedObjectDoesNotExist (an AttributeError) when absent.
    return event is not None and hasattr(event, "brokerage")


@rules.predicate
def is_confirmed_registrant(user, event) -> bool:
    if not user.is_authenticated or event is None:
        return False
    return event.registrations.filter(user=user, status=RegistrationStatus.CONFIRMED).exists()


@rules.predicate
def is_participant(user, event) -> bool:
    if not user.is_authenticated or event is None:
        return False
    return event.brokerage_participants.filter(user=user).exists()


@rules.predicate
def is_event_cluster_staff(user, event) -> bool:
    return bool(
        user.is_authenticated and event is not None and event.cluster_id in user.staff_roles
    )


@rules.predicate
def owns_request_side(user, meeting_request) -> bool:
    return bool(
        user.is_authenticated
        and meeting_request is not None
        and user.pk
        in (meeting_request.from_participant.user_id, meeting_request.to_participant.user_id)
    )


@rules.predicate
def takes_part_in_meeting(user, meeting) -> bool:
    return bool(
        user.is_authenticated
        and meeting is not None
        and user.pk in (meeting.a.user_id, meeting.b.user_id)
    )


@rules.predicate
def manages_meeting_event(user, obj) -> bool:
    return bool(obj is not None and manages_event(user, obj.event))


manages = manages_event | is_network_admin

rules.add_perm("brokerage.manage", manages)
# Join and use the meetings: a confirmed registrant of an event with meetings switched on.
rules.add_perm("brokerage.participate", brokerage_enabled & is_confirmed_registrant)
rules.add_perm("brokerage.view_home", manages | (brokerage_enabled & is_confirmed_registrant))
rules.add_perm(
    "brokerage.view_participants",
    brokerage_enabled & (is_participant | is_event_cluster_staff | manages),
)
rules.add_perm("brokerage.view_request", owns_request_side)
rules.add_perm(
    "brokerage.view_meeting", takes_part_in_meeting | manages_meeting_event | is_network_admin
)
rules.add_perm("brokerage.give_feedback", takes_part_in_meeting)
