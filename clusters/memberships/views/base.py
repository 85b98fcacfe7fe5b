"""What the manager's fees pages share: the cluster from the URL, checked against
`memberships.manage_fees` (404 for anyone else), then the page's own object looked up
inside that cluster only (another cluster's pk: 404)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404

from clusters.models import Cluster
from portal.base.permissions import get_permitted_object_or_404

from ..selectors import invoices_of


class ClusterFeesMixin(LoginRequiredMixin):
    section = ""
    kwargs: dict

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cluster = get_permitted_object_or_404(
                request.user, "memberships.manage_fees", Cluster.objects.all(), slug=kwargs["slug"]
            )
            self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Look up the page's objects within self.cluster."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "cluster": self.cluster,
            "section": self.section,
        }


class ClusterInvoiceMixin(ClusterFeesMixin):
    section = "invoices"

    def load_objects(self) -> None:
        self.invoice = get_object_or_404(invoices_of(self.cluster), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invoice": self.invoice}
