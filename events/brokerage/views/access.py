"""How the meeting views load an event and check a permission on it (404 if not held)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from events.models import Event
from portal.base.permissions import get_permitted_object_or_404
from portal.base.zones import zone_for

from .. import selectors
from ..models import Participant


def event_for(user, perm: str, slug: str) -> Event:
    """The event with `slug`, or 404 unless `user` holds `perm` on it."""
    return get_permitted_object_or_404(
        user, perm, Event.objects.select_related("cluster", "brokerage"), slug=slug
    )


class EventMixin(LoginRequiredMixin):
    """Loads `self.event` (by slug) and checks `permission_required` on it: 404 if not."""

    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = event_for(request.user, self.permission_required, kwargs["slug"])
        self.brokerage = getattr(self.event, "brokerage", None)
        return super().dispatch(request, *args, **kwargs)

    def base_context(self) -> dict:
        user = self.request.user
        return {
            "event": self.event,
            "brokerage": self.brokerage,
            "cluster": self.event.cluster,
            # Times shown in the person's zone (else the cluster's); forms keep the cluster's.
            "tz": zone_for(user, self.event.cluster.time_zone),
            "cluster_tz": self.event.cluster.time_zone,
            "is_manager": user.has_perm("brokerage.manage", self.event),
            "is_participant": Participant.objects.filter(event=self.event, user=user).exists(),
        }


class ParticipantRequiredMixin(EventMixin):
    permission_required = "brokerage.participate"

    def get_participant(self) -> Participant | None:
        return selectors.participant_for(self.event, self.request.user)


class ManagerMixin(EventMixin):
    permission_required = "brokerage.manage"

    def get_brokerage_or_404(self):
        if self.brokerage is None:
            raise Http404
        return self.brokerage
