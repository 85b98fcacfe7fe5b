"""Pages of partner matchmaking: the dismiss action and the cluster report. Nothing
here computes suggestions."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from clusters.models import Cluster
from portal.base.permissions import MemberRequiredMixin, get_permitted_object_or_404

from .actions import dashboard_section, suggestion_dismiss
from .models import PartnerSuggestion
from .selectors import cluster_report


class SuggestionDismissView(MemberRequiredMixin, View):
    """POST: dismiss a suggestion of one's own organisation. With htmx, answers
    with the refreshed list; otherwise redirects back (to ``next`` if safe)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        suggestion = get_permitted_object_or_404(
            request.user, "partners.dismiss_suggestion", PartnerSuggestion.objects.all(), pk=pk
        )
        suggestion_dismiss(actor=request.user, suggestion_id=suggestion.pk)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("dashboard")
        if request.htmx:
            suggestions = dashboard_section(request.user)["partner_suggestions"]
            return render(
                request,
                "partners/_suggestion_list.html",
                {"suggestions": suggestions, "actions": True, "next_url": target},
            )
        return HttpResponseRedirect(target)


class ClusterReportView(MemberRequiredMixin, TemplateView):
    """Managers: how suggestions to their cluster's members turned into introductions."""

    template_name = "partners/cluster_report.html"

    def get_context_data(self, **kwargs):
        cluster = get_permitted_object_or_404(
            self.request.user,
            "partners.view_cluster_report",
            Cluster.objects.all(),
            slug=kwargs["slug"],
        )
        return {
            **super().get_context_data(**kwargs),
            "cluster": cluster,
            "report": cluster_report(cluster),
        }
