"""The public service catalogue and its management by cluster managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from clusters.branding import brand_context
from clusters.models import Cluster
from portal.base.filtering import filter_results
from portal.base.permissions import get_permitted_object_or_404
from portal.base.views import REFUSED, run_action

from .actions import offering_create, offering_update
from .filters import OfferingFilter
from .forms import OfferingForm
from .models import ServiceOffering
from .selectors import catalogue_offerings


class OfferingListView(TemplateView):
    """The network's catalogue (/services/) or one cluster's (/services/clusters/<slug>/)."""

    template_name = "services/offering_list.html"

    def get_context_data(self, **kwargs):
        cluster = None
        qs = catalogue_offerings()
        if "slug" in self.kwargs:
            cluster = get_object_or_404(Cluster, slug=self.kwargs["slug"])
            qs = qs.filter(cluster=cluster)
        filterset = OfferingFilter(self.request.GET or None, queryset=qs)
        if cluster is not None:
            del filterset.form.fields["cluster"]
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "cluster": cluster,
            **brand_context(cluster),
            "filter": filterset,
            "offerings": filter_results(filterset) if filterset.is_bound else qs,
            "can_manage": bool(
                cluster
                and user.is_authenticated
                and user.has_perm("services.manage_offerings", cluster)
            ),
            "can_request": user.is_authenticated and user.has_perm("services.submit_request"),
            "member_cluster_ids": user.active_cluster_ids if user.is_authenticated else set(),
        }


class OfferingCreateView(LoginRequiredMixin, FormView):
    template_name = "services/offering_edit.html"
    form_class = OfferingForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cluster = get_permitted_object_or_404(
                request.user,
                "services.manage_offerings",
                Cluster.objects.all(),
                slug=kwargs["slug"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cluster": self.cluster}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cluster": self.cluster, "offering": None}

    def form_valid(self, form):
        offering = run_action(
            offering_create,
            errors_to=form,
            actor=self.request.user,
            cluster=self.cluster,
            **form.cleaned_data,
        )
        if offering is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The service is in the catalogue."))
        return redirect("services:cluster_catalogue", slug=self.cluster.slug)


class OfferingUpdateView(LoginRequiredMixin, FormView):
    template_name = "services/offering_edit.html"
    form_class = OfferingForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.offering = get_permitted_object_or_404(
                request.user,
                "services.change_offering",
                ServiceOffering.objects.select_related("cluster"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "cluster": self.offering.cluster,
            "instance": ServiceOffering.objects.get(pk=self.offering.pk),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "cluster": self.offering.cluster,
            "offering": self.offering,
        }

    def form_valid(self, form):
        saved = run_action(
            offering_update,
            errors_to=form,
            actor=self.request.user,
            offering=self.offering,
            **form.cleaned_data,
        )
        if saved is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The service was saved."))
        return redirect("services:cluster_catalogue", slug=self.offering.cluster.slug)
