"""Writes of the rooms app, one module per part: rooms (a room and its opening
hours), closing (closed dates), bookings (booking once, and how bookings of a
room are serialised), series (recurring bookings), approvals (deciding and
expiring pending bookings), cancellation; notices says who is told what.

Other apps book and free a room through `booking_create` and `booking_cancel`,
which this package also offers (events/rooms.py imports them from here).
"""

from .bookings import booking_create
from .cancellation import booking_cancel

__all__ = ["booking_cancel", "booking_create"]
