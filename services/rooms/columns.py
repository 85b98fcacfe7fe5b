"""The columns of the managers' room bookings list that may be shown or hidden
(portal/base/columns.py)."""

from django.utils.translation import gettext_lazy as _

from portal.base.columns import Column, ColumnSet

BOOKING_COLUMNS = ColumnSet(
    key="rooms.bookings",
    columns=(
        Column("when", _("When")),
        Column("room", _("Room")),
        Column("title", _("Title"), locked=True),
        Column("organisation", _("Organisation")),
        Column("people", _("People")),
        Column("status", _("Status")),
    ),
)
