from django.utils.translation import gettext_lazy as _

from services.counselling.models import RequestStatus

# What an open request waits for, in words a member understands.
WAITS_FOR = {
    RequestStatus.SUBMITTED: _("the cluster team to look at it"),
    RequestStatus.TRIAGED: _("the cluster team to choose an advisor"),
    RequestStatus.ASSIGNED: _("the advisor to start"),
    RequestStatus.IN_PROGRESS: _("the advisor"),
    RequestStatus.WAITING: _("your answer"),
}


def waits_for(request) -> str:
    return WAITS_FOR.get(request.status, "")
