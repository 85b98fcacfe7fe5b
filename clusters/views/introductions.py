"""Introduction requests: send from a profile, answer, and the two lists."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.base.permissions import MemberRequiredMixin, get_permitted_object_or_404
from portal.base.views import REFUSED, run_action

from ..actions.introductions import (
    DAILY_LIMIT,
    introduction_accept,
    introduction_decline,
    introduction_request,
    introductions_sent_last_day,
)
from ..enums import IntroductionStatus
from ..forms.profiles import IntroductionForm
from ..selectors import introductions_for, viewable_organisations


class IntroductionCreateView(MemberRequiredMixin, View):
    """GET shows the form alone; POST sends (the profile page embeds the same form)."""

    template_name = "clusters/introduction_create.html"

    def _organisation(self, request, slug):
        return get_permitted_object_or_404(
            request.user,
            "clusters.request_introduction",
            viewable_organisations(request.user),
            slug=slug,
        )

    def _render(self, request, organisation, form, status=200):
        sent = introductions_sent_last_day(request.user)
        return render(
            request,
            self.template_name,
            {
                "organisation": organisation,
                "form": form,
                "sent_today": sent,
                "daily_limit": DAILY_LIMIT,
            },
            status=status,
        )

    def get(self, request, slug):
        return self._render(request, self._organisation(request, slug), IntroductionForm())

    def post(self, request, slug):
        organisation = self._organisation(request, slug)
        form = IntroductionForm(request.POST)
        if not form.is_valid():
            return self._render(request, organisation, form, status=400)
        intro = run_action(
            introduction_request,
            errors_to=form,
            actor=request.user,
            to_organisation=organisation,
            message=form.cleaned_data["message"],
        )
        if intro is REFUSED:
            return self._render(request, organisation, form, status=400)
        messages.success(
            request,
            _("Your request was sent to %(org)s. You will hear from us when they answer.")
            % {"org": organisation.name},
        )
        return redirect("clusters:introduction_detail", pk=intro.pk)


class IntroductionListView(MemberRequiredMixin, TemplateView):
    """Received (`box="received"`) or sent introductions of the person's organisation."""

    template_name = "clusters/introduction_list.html"
    box = "received"

    def get_context_data(self, **kwargs):
        user = self.request.user
        qs = introductions_for(user)
        if self.box == "received":
            qs = qs.filter(to_organisation_id=user.organisation_id)
        else:
            qs = qs.filter(from_organisation_id=user.organisation_id)
        page = Paginator(qs.order_by("-created", "-pk"), 25).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "box": self.box,
            "page_obj": page,
            "introductions": page.object_list,
            "can_answer": user.is_org_admin,
        }


class IntroductionDetailView(MemberRequiredMixin, TemplateView):
    template_name = "clusters/introduction_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        intro = get_permitted_object_or_404(
            user, "clusters.view_introduction", introductions_for(user), pk=kwargs["pk"]
        )
        received = intro.to_organisation_id == user.organisation_id
        return {
            **super().get_context_data(**kwargs),
            "introduction": intro,
            "received": received,
            "can_answer": intro.status == IntroductionStatus.PENDING
            and user.has_perm("clusters.decide_introduction", intro),
            # Contact details only once accepted; each side sees the other's person.
            "contact": (intro.from_user if received else intro.decided_by)
            if intro.is_accepted
            else None,
        }


class IntroductionDecideView(MemberRequiredMixin, View):
    def post(self, request, pk: int, decision: str):
        intro = get_permitted_object_or_404(
            request.user, "clusters.view_introduction", introductions_for(request.user), pk=pk
        )
        if not request.user.has_perm("clusters.decide_introduction", intro):
            raise Http404
        action = introduction_accept if decision == "accept" else introduction_decline
        if (
            run_action(action, errors_to=request, actor=request.user, introduction_id=intro.pk)
            is not REFUSED
        ):
            if decision == "accept":
                messages.success(
                    request,
                    _("Introduction accepted: you can now see each other's contact details."),
                )
            else:
                messages.success(request, _("Introduction declined. Nothing was shared."))
        return redirect("clusters:introduction_detail", pk=intro.pk)
