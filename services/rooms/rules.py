"""Who may do what with rooms and bookings: one predicate per question."""

import rules

from clusters.rules import is_network_admin

from .enums import WhoMayBook


def _managed(user) -> set[int]:
    return user.managed_cluster_ids if user.is_authenticated else set()


@rules.predicate
def manages_cluster(user, cluster) -> bool:
    return bool(cluster is not None and cluster.pk in _managed(user))


@rules.predicate
def manages_room(user, room) -> bool:
    return bool(room is not None and room.cluster_id in _managed(user))


@rules.predicate
def manages_booking_room(user, booking) -> bool:
    return bool(booking is not None and booking.room.cluster_id in _managed(user))


@rules.predicate
def manages_any_cluster(user) -> bool:
    return bool(_managed(user))


@rules.predicate
def may_book_room(user, room) -> bool:
    """An active room, and the person's organisation is an active member of the
    room's cluster (or, for rooms open to the network, of any cluster)."""
    if room is None or not user.is_authenticated or not room.is_active:
        return False
    clusters = user.active_cluster_ids
    if room.who_may_book == WhoMayBook.NETWORK:
        return bool(clusters)
    return room.cluster_id in clusters


@rules.predicate
def is_booking_party(user, booking) -> bool:
    """The person who booked, or a colleague of the same organisation."""
    if booking is None or not user.is_authenticated:
        return False
    if booking.person_id == user.pk:
        return True
    return bool(user.organisation_id and booking.organisation_id == user.organisation_id)


@rules.predicate
def is_active_room(user, room) -> bool:
    return bool(room is not None and room.is_active)


manage = manages_room | is_network_admin

rules.add_perm("rooms.manage_rooms", manages_any_cluster | is_network_admin)
rules.add_perm("rooms.manage_cluster_rooms", manages_cluster | is_network_admin)
rules.add_perm("rooms.manage_room", manage)
# Nobody books an inactive room, managers included (they still see and edit it).
rules.add_perm("rooms.book_room", is_active_room & (may_book_room | manage))
rules.add_perm("rooms.view_room", may_book_room | manage)
rules.add_perm("rooms.view_booking", is_booking_party | manages_booking_room | is_network_admin)
rules.add_perm("rooms.decide_booking", manages_booking_room | is_network_admin)
