"""A cluster's managers download its member list as CSV."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views import View

from portal.base.audit import audit
from portal.base.csv_export import csv_download
from portal.base.permissions import get_permitted_object_or_404

from ..models import Cluster
from ..selectors import cluster_members_for_export

HEADER = [
    "organisation",
    "kind",
    "size",
    "country",
    "city",
    "website",
    "status",
    "since",
    "admin contact name",
    "admin contact email",
]


class ClusterMembersExportView(LoginRequiredMixin, View):
    def get(self, request, slug):
        cluster = get_permitted_object_or_404(
            request.user, "clusters.export_members", Cluster.objects.all(), slug=slug
        )
        stamp = timezone.localdate().isoformat()
        response, writer = csv_download(f"{cluster.slug}-members-{stamp}.csv")
        writer.writeheader(HEADER)
        for m in cluster_members_for_export(cluster):
            org = m.organisation
            admins = org.admins
            writer.writerow(
                (
                    org.name,
                    org.get_kind_display(),
                    org.size,
                    org.country,
                    org.city,
                    org.website,
                    m.get_status_display(),
                    m.since.isoformat() if m.since else "",
                    "; ".join(a.display_name for a in admins),
                    "; ".join(a.email for a in admins),
                )
            )
        audit(
            request.user,
            "export",
            cluster,
            cluster_id=cluster.pk,
            detail=f"member list CSV, {writer.rows} rows",
        )
        return response
