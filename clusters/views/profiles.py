"""Organisation profile pages (visibility-checked) and their editing by the admin."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from clusters.partners.selectors import profile_context
from portal.base.permissions import MemberRequiredMixin, get_permitted_object_or_404
from portal.base.views import REFUSED, run_action

from ..actions.profiles import PROFILE_FIELDS, organisation_profile_update, person_name_update
from ..forms.profiles import IntroductionForm, OrganisationProfileForm
from ..forms.signup import PersonNameForm
from ..models import Organisation
from ..selectors import (
    introductions_between,
    viewable_organisations,
    with_directory_relations,
)


class OrganisationDetailView(MemberRequiredMixin, TemplateView):
    template_name = "clusters/organisation_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        org = get_permitted_object_or_404(
            user,
            "clusters.view_organisation",
            with_directory_relations(viewable_organisations(user), expertise=True),
            slug=kwargs["slug"],
        )
        own = org.pk == user.organisation_id
        pending = accepted = None
        if not own and user.organisation_id:
            pending, accepted = introductions_between(user.organisation_id, org.pk)
        can_introduce = user.has_perm("clusters.request_introduction", org)
        return {
            **super().get_context_data(**kwargs),
            "organisation": org,
            "is_own": own,
            "can_edit": user.has_perm("clusters.manage_organisation", org),
            "can_introduce": can_introduce and pending is None,
            "pending_introduction": pending,
            "accepted_introduction": accepted,
            "introduction_form": IntroductionForm() if can_introduce and pending is None else None,
            **profile_context(user, org),
        }


class OwnOrganisationView(MemberRequiredMixin, View):
    """The menu's "Our profile": the person's own organisation's profile page."""

    def get(self, request):
        if not request.user.organisation_id:
            raise Http404
        return redirect("clusters:organisation_detail", slug=request.user.organisation.slug)


class PersonNameView(LoginRequiredMixin, FormView):
    """The name the portal shows for the person; their email address stands in until set."""

    template_name = "clusters/person_name.html"
    form_class = PersonNameForm

    def get_initial(self):
        return {
            "first_name": self.request.user.first_name,
            "last_name": self.request.user.last_name,
        }

    def form_valid(self, form):
        if (
            run_action(
                person_name_update, errors_to=form, actor=self.request.user, **form.cleaned_data
            )
            is REFUSED
        ):
            return self.form_invalid(form)
        messages.success(self.request, _("Your name was saved."))
        return redirect("dashboard" if self.request.user.is_approved_member else "privacy")


class OrganisationEditView(LoginRequiredMixin, FormView):
    template_name = "clusters/organisation_edit.html"
    form_class = OrganisationProfileForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation = get_permitted_object_or_404(
                request.user,
                "clusters.manage_organisation",
                Organisation.objects.all(),
                slug=kwargs["slug"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organisation": self.organisation}

    def form_valid(self, form):
        data = form.cleaned_data
        logo = data.get("logo")
        saved = run_action(
            organisation_profile_update,
            errors_to=form,
            actor=self.request.user,
            organisation=self.organisation,
            data={k: data[k] for k in PROFILE_FIELDS},
            topics=data["topics"],
            offer_topics=data["offer_topics"],
            need_topics=data["need_topics"],
            logo=logo if isinstance(logo, ContentFile) else None,
            remove_logo=logo is False,
        )
        if saved is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("Your profile was saved."))
        return redirect("clusters:organisation_detail", slug=self.organisation.slug)
