from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.base.permissions import PermissionRequiredMixin
from portal.base.views import REFUSED, run_action

from ..actions.membership import (
    invitation_accept,
    invitation_create,
    invitation_sign_up,
    membership_apply,
    membership_approve,
    membership_decline,
)
from ..enums import MembershipStatus
from ..forms.membership import (
    COUNTRY_NAMES,
    ApplicationForm,
    DeclineForm,
    InvitationForm,
    InvitationSignupForm,
)
from ..models import Invitation, Membership
from ..selectors import account_exists, organisations_named_like


class ApplicationStatusView(LoginRequiredMixin, TemplateView):
    """Where a newcomer applies, and then follows their application."""

    template_name = "clusters/application_status.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        ctx = super().get_context_data(**kwargs)
        ctx["memberships"] = (
            Membership.objects.filter(organisation_id=user.organisation_id).select_related(
                "cluster"
            )
            if user.organisation_id
            else []
        )
        return ctx


class ApplicationCreateView(LoginRequiredMixin, FormView):
    template_name = "clusters/application_create.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.organisation_id:
            return redirect("clusters:application_status")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if (
            run_action(
                membership_apply, errors_to=form, user=self.request.user, **form.cleaned_data
            )
            is REFUSED
        ):
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your application was sent. The cluster's managers will answer by email."),
        )
        return redirect("clusters:application_status")


class ApplicationListView(PermissionRequiredMixin, TemplateView):
    template_name = "clusters/application_list.html"
    permission_required = "clusters.review_applications"

    def get_context_data(self, **kwargs):
        user = self.request.user
        qs = Membership.objects.filter(status=MembershipStatus.PENDING).select_related(
            "organisation", "cluster", "applied_by"
        )
        if not user.is_network_admin:
            qs = qs.filter(cluster_id__in=user.managed_cluster_ids)
        applications = list(qs.order_by("applied_at"))
        # A second organisation of an existing one's name is flagged: the same one applying
        # twice, or a newcomer the approving manager should tell apart.
        same_name = organisations_named_like(
            {m.organisation_id: m.organisation.name for m in applications}
        )
        for m in applications:
            m.same_name = same_name[m.organisation_id]
            for other in m.same_name:
                other.country_name = COUNTRY_NAMES.get(other.country, other.country)
        return {
            **super().get_context_data(**kwargs),
            "applications": applications,
            "decline_form": DeclineForm(),
        }


class ApplicationDecideView(PermissionRequiredMixin, View):
    permission_required = "clusters.review_applications"

    def post(self, request, pk: int, decision: str):
        membership = get_object_or_404(Membership, pk=pk)
        if not request.user.has_perm("clusters.decide_membership", membership):
            raise Http404
        if decision == "approve":
            if (
                run_action(
                    membership_approve, errors_to=request, actor=request.user, membership_id=pk
                )
                is not REFUSED
            ):
                messages.success(
                    request, _("%(org)s is now a member.") % {"org": membership.organisation}
                )
        else:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Please give the applicant a reason."))
                return redirect("clusters:application_list")
            declined = run_action(
                membership_decline,
                errors_to=request,
                actor=request.user,
                membership_id=pk,
                reason=form.cleaned_data["reason"],
            )
            if declined is not REFUSED:
                messages.success(request, _("The application was declined and the applicant told."))
        return redirect("clusters:application_list")


class OrganisationPeopleView(LoginRequiredMixin, FormView):
    """The organisation's people and pending invitations (organisation-private)."""

    template_name = "clusters/organisation_people.html"
    form_class = InvitationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.organisation_id:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        org = self.request.user.organisation
        return {
            **super().get_context_data(**kwargs),
            "organisation": org,
            "people": org.people.order_by("last_name", "email"),
            "invitations": org.invitations.filter(accepted_at__isnull=True).order_by("-created"),
            "can_invite": self.request.user.is_org_admin,
        }

    def form_valid(self, form):
        if not self.request.user.is_org_admin:
            raise Http404
        invitation = run_action(
            invitation_create,
            invitation_sign_up,
            errors_to=form,
            actor=self.request.user,
            organisation=self.request.user.organisation,
            **form.cleaned_data,
        )
        if invitation is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("Invitation sent to %(email)s.") % form.cleaned_data)
        return redirect("clusters:organisation_people")


class InvitationAcceptView(View):
    """Signed-in invitee: join. Anonymous invitee: create the account here (the link
    proves the email address, so it is marked verified)."""

    template_name = "clusters/invitation_accept.html"

    def _invitation(self, token):
        return Invitation.objects.select_related("organisation").filter(token=token).first()

    def _problem(self, invitation) -> str:
        if invitation is None:
            return _("This invitation link is not valid.")
        if invitation.accepted_at:
            return _("This invitation has already been used.")
        if invitation.is_expired:
            return _("This invitation has expired. Ask your colleague to send a new one.")
        return ""

    def _refused(self, request, invitation, problem: str):
        return render(
            request,
            self.template_name,
            {"invitation": invitation, "problem": problem},
            status=410,
        )

    def get(self, request, token):
        invitation = self._invitation(token)
        problem = self._problem(invitation)
        form = (
            None
            if problem or request.user.is_authenticated
            else InvitationSignupForm(email=invitation.email)
        )
        return render(
            request,
            self.template_name,
            {"invitation": invitation, "problem": problem, "form": form},
            status=410 if problem else 200,
        )

    def post(self, request, token):
        invitation = self._invitation(token)
        problem = self._problem(invitation)
        if problem:
            return self._refused(request, invitation, problem)
        # Collects the reason when the action refuses; the page shows it as its problem.
        refusal = forms.Form({})
        if request.user.is_authenticated:
            accepted = run_action(
                invitation_accept, errors_to=refusal, invitation_token=token, user=request.user
            )
        else:
            form = InvitationSignupForm(request.POST, email=invitation.email)
            if not form.is_valid():
                return render(request, self.template_name, {"invitation": invitation, "form": form})
            if account_exists(invitation.email):
                messages.info(
                    request,
                    _("You already have an account: please sign in, then open the link again."),
                )
                return redirect(f"/accounts/login/?next={request.path}")
            accepted = run_action(
                invitation_sign_up,
                errors_to=refusal,
                invitation_token=token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                language=getattr(request, "LANGUAGE_CODE", "en")[:2],
            )
        if accepted is REFUSED:
            return self._refused(request, invitation, " ".join(refusal.non_field_errors()))
        if not request.user.is_authenticated:
            login(
                request, accepted.accepted_by, backend="django.contrib.auth.backends.ModelBackend"
            )
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organisation})
        return redirect("home")
