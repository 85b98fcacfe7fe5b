"""The manager's fees setup: which cluster, plans, billing details, memberships."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from clusters.models import Cluster
from portal.base.views import REFUSED, run_action

from ..billing import cluster_billing_save
from ..forms import ClusterBillingForm, PlanForm
from ..invoicing import invoice_draft_create
from ..models import MembershipPlan
from ..plans import plan_save
from ..selectors import billing_of, memberships_of, plans_of
from .base import ClusterFeesMixin


class FeesHomeView(LoginRequiredMixin, TemplateView):
    """The Manage menu's "Fees and invoices": the clusters the person runs fees of."""

    template_name = "memberships/fees_home.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        clusters = Cluster.objects.order_by("name")
        if not user.is_network_admin:
            clusters = clusters.filter(pk__in=user.managed_cluster_ids)
        self.clusters = [c for c in clusters if user.has_perm("memberships.manage_fees", c)]
        if not self.clusters:
            raise Http404
        if len(self.clusters) == 1:
            return redirect("memberships:invoice_list", slug=self.clusters[0].slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "clusters": self.clusters}


class PlanListView(ClusterFeesMixin, TemplateView):
    template_name = "memberships/plan_list.html"
    section = "plans"

    def get_context_data(self, **kwargs):
        plans = list(plans_of(self.cluster))
        for plan in plans:
            plan.default_fee_cents = plan.fee_for("*", "*")
        return {**super().get_context_data(**kwargs), "plans": plans}


class PlanCreateView(ClusterFeesMixin, FormView):
    template_name = "memberships/plan_form.html"
    form_class = PlanForm
    section = "plans"
    plan: MembershipPlan | None = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}

    def form_valid(self, form):
        plan = run_action(
            plan_save,
            errors_to=form,
            actor=self.request.user,
            cluster=self.cluster,
            plan=self.plan,
            **form.plan_values(),
        )
        if plan is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The plan %(name)s was saved.") % {"name": plan.name})
        return redirect("memberships:plan_list", slug=self.cluster.slug)


class PlanUpdateView(PlanCreateView):
    """Editing a plan changes the fees of invoices prepared from now on; invoices made
    before keep the amounts copied onto their lines."""

    def load_objects(self) -> None:
        self.plan = get_object_or_404(plans_of(self.cluster), pk=self.kwargs["pk"])


class BillingEditView(ClusterFeesMixin, FormView):
    template_name = "memberships/billing_form.html"
    form_class = ClusterBillingForm
    section = "billing"

    def get_initial(self):
        billing = billing_of(self.cluster)
        if billing is None:
            return {"legal_name": self.cluster.name, "country": self.cluster.country}
        return {
            f: getattr(billing, f)
            for f in (
                "legal_name",
                "address",
                "country",
                "vat_number",
                "iban",
                "bic",
                "due_days",
                "renewal_days",
            )
        }

    def form_valid(self, form):
        saved = run_action(
            cluster_billing_save,
            errors_to=form,
            actor=self.request.user,
            cluster=self.cluster,
            **form.cleaned_data,
        )
        if saved is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("The billing details were saved."))
        return redirect("memberships:billing", slug=self.cluster.slug)


class MembershipListView(ClusterFeesMixin, TemplateView):
    template_name = "memberships/membership_list.html"
    section = "memberships"

    def get_context_data(self, **kwargs):
        memberships = list(memberships_of(self.cluster).prefetch_related("invoices"))
        for m in memberships:
            m.draft = next((i for i in m.invoices.all() if i.status == "draft"), None)
        return {
            **super().get_context_data(**kwargs),
            "memberships": memberships,
            "today": timezone.localdate(),
            "has_billing": billing_of(self.cluster) is not None,
        }


class InvoiceDraftCreateView(ClusterFeesMixin, View):
    """POST: prepare the draft invoice of a membership's current term."""

    http_method_names = ["post"]

    def load_objects(self) -> None:
        self.membership = get_object_or_404(memberships_of(self.cluster), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        invoice = run_action(
            invoice_draft_create, errors_to=request, actor=request.user, membership=self.membership
        )
        if invoice is REFUSED:
            return redirect("memberships:membership_list", slug=self.cluster.slug)
        messages.success(request, _("A draft invoice was prepared: check it, then issue it."))
        return redirect("memberships:invoice_detail", slug=self.cluster.slug, pk=invoice.pk)
