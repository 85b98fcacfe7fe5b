"""A person's email preferences: per cluster of their organisation, one yes/no per
topic. Service messages (bookings, requests, invoices) are not listed: they always go."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusters.models import Cluster

from .. import actions, selectors
from ..enums import ConsentTopic


def _clusters(user):
    return Cluster.objects.filter(pk__in=user.active_cluster_ids).order_by("name")


class PreferencesView(LoginRequiredMixin, View):
    template_name = "newsletters/preferences.html"

    def get(self, request):
        clusters = list(_clusters(request.user))
        state = selectors.consent_of(request.user, clusters)
        rows = [
            {
                "cluster": c,
                "topics": [
                    {"value": t.value, "label": t.label, "on": state[c.pk][t.value]}
                    for t in ConsentTopic
                ],
            }
            for c in clusters
        ]
        return render(request, self.template_name, {"rows": rows})

    def post(self, request):
        wanted = {
            (c.pk, topic): request.POST.get(f"c{c.pk}-{topic}") == "on"
            for c in _clusters(request.user)
            for topic in ConsentTopic.values
        }
        changed = actions.preferences_save(actor=request.user, wanted=wanted)
        messages.success(
            request, _("Your email preferences are saved.") if changed else _("Nothing changed.")
        )
        return redirect("newsletters:preferences")
