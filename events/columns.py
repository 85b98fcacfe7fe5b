"""The columns of an event's attendee list a manager may show or hide
(portal/base/columns.py)."""

from django.utils.translation import gettext_lazy as _

from portal.base.columns import Column, ColumnSet

ATTENDEE_COLUMNS = ColumnSet(
    key="events.attendees",
    columns=(
        Column("name", _("Name"), locked=True),
        Column("email", _("Email")),
        Column("organisation", _("Organisation")),
        Column("seat", _("Seat")),
        Column("registered", _("Registered")),
        Column("checked_in", _("Checked in")),
    ),
)
