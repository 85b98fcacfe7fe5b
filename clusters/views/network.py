"""The network page (the list of clusters); managers edit their cluster. The public
cluster page gathers services and events, so it lives in portal/views/cluster_page.py."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.base import ContentFile
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from portal.base.errors import ActionError
from portal.base.filtering import filter_results
from portal.base.permissions import get_permitted_object_or_404

from ..actions.profiles import cluster_profile_update
from ..filters import ClusterFilter
from ..forms.profiles import ClusterEditForm
from ..models import Cluster


class ClusterListView(TemplateView):
    template_name = "clusters/cluster_list.html"

    def get_context_data(self, **kwargs):
        filterset = ClusterFilter(self.request.GET or None, queryset=Cluster.objects.all())
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "clusters": filter_results(filterset).order_by("country", "name"),
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
        logo = form.cleaned_data.get("logo")
        try:
            cluster_profile_update(
                actor=self.request.user,
                cluster=self.cluster,
                description=form.cleaned_data["description"],
                focus=form.cleaned_data["focus"],
                accent_colour=form.cleaned_data["accent_colour"],
                logo=logo if isinstance(logo, ContentFile) else None,
                remove_logo=logo is False,
            )
        except ActionError as exc:
            form.add_error(exc.field, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The cluster page was updated."))
        return redirect("clusters:cluster_detail", slug=self.cluster.slug)
