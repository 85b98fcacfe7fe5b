"""The public page of one cluster. It gathers the cluster's members (clusters), its
service catalogue (services) and its upcoming events (events), so it belongs to the
composition layer: clusters, the base of the domain, imports no other feature app."""

from django.views.generic import DetailView

from clusters.branding import brand_context
from clusters.models import Cluster
from clusters.selectors import member_counts_by_kind
from events import selectors as event_selectors
from services.catalogue import selectors as service_selectors


class ClusterDetailView(DetailView):
    template_name = "clusters/cluster_detail.html"
    model = Cluster
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        cluster = self.object
        user = self.request.user
        viewer = user if user.is_authenticated else None
        counts = member_counts_by_kind(cluster)
        return {
            **super().get_context_data(**kwargs),
            **brand_context(cluster),
            "member_counts": counts,
            "member_total": sum(n for _label, n in counts),
            "offerings": list(service_selectors.offerings_for_cluster(cluster)),
            "events": list(
                event_selectors.upcoming_events_for_cluster(cluster, limit=5, user=viewer)
            ),
            "can_manage": user.is_authenticated
            and user.has_perm("clusters.manage_cluster", cluster),
            "can_use_directory": user.is_authenticated and user.is_approved_member,
        }
