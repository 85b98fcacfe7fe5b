"""The columns of the request queue a manager may show or hide (portal/base/columns.py)."""

from django.utils.translation import gettext_lazy as _

from portal.base.columns import Column, ColumnSet

QUEUE_COLUMNS = ColumnSet(
    key="counselling.queue",
    columns=(
        Column("reference", _("Reference"), locked=True),
        Column("subject", _("Subject")),
        Column("organisation", _("Organisation")),
        Column("cluster", _("Cluster")),
        Column("category", _("Category")),
        Column("urgency", _("Urgency")),
        Column("status", _("Status")),
        Column("advisor", _("Advisor")),
        Column("submitted", _("Submitted")),
        Column("due", _("Due")),
        Column("response_time", _("Response time")),
        Column("resolution_time", _("Resolution time")),
    ),
)
