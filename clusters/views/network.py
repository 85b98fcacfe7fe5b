"""Public cluster pages and the network page; managers edit their cluster."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from portal.filtering import filter_results
from portal.permissions import get_permitted_object_or_404

from ..actions.profiles import cluster_profile_update
from ..filters import ClusterFilter
from ..forms.profiles import ClusterEditForm
from ..models import Cluster
from ..selectors import cluster_offerings, cluster_upcoming_events, member_counts_by_kind


class ClusterListView(TemplateView):
    template_name = "clusters/cluster_list.html"

    def get_context_data(self, **kwargs):
        filterset = ClusterFilter(self.request.GET or None, queryset=Cluster.objects.all())
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "clusters": filter_results(filterset).order_by("country", "name"),
        }


class ClusterDetailView(DetailView):
    template_name = "clusters/cluster_detail.html"
    model = Cluster
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        cluster = self.object
        user = self.request.user
        counts = member_counts_by_kind(cluster)
        return {
            **super().get_context_data(**kwargs),
            "member_counts": counts,
            "member_total": sum(n for _label, n in counts),
            "offerings": cluster_offerings(cluster),
            "events": cluster_upcoming_events(cluster, limit=5, user=user),
            "can_manage": user.is_authenticated
            and user.has_perm("clusters.manage_cluster", cluster),
            "can_use_directory": user.is_authenticated and user.is_approved_member,
        }


class ClusterEditView(LoginRequiredMixin, FormView):
    template_name = "clusters/cluster_edit.html"
    form_class = ClusterEditForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cluster = get_permitted_object_or_404(
                request.user, "clusters.manage_cluster", Cluster.objects.all(), slug=kwargs["slug"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cluster}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cluster": self.cluster}

    def form_valid(self, form):
        cluster_profile_update(
            actor=self.request.user,
            cluster=self.cluster,
            description=form.cleaned_data["description"],
            focus=form.cleaned_data["focus"],
        )
        messages.success(self.request, _("The cluster page was updated."))
        return redirect("clusters:cluster_detail", slug=self.cluster.slug)
