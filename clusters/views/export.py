"""A cluster's managers download its member list as CSV."""

import csv

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.views import View

from portal.permissions import get_permitted_object_or_404

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


def _cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading =, +, - or @ is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ClusterMembersExportView(LoginRequiredMixin, View):
    def get(self, request, slug):
        cluster = get_permitted_object_or_404(
            request.user, "clusters.export_members", Cluster.objects.all(), slug=slug
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="{cluster.slug}-members-{stamp}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(HEADER)
        for m in cluster_members_for_export(cluster):
            org = m.organisation
            admins = org.admins
            writer.writerow(
                [
                    _cell(v)
                    for v in (
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
                ]
            )
        return response
