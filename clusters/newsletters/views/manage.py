"""Manager pages: a cluster's mailings, compose and edit with a live audience count,
preview, test send to oneself, schedule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusters.models import Cluster
from portal.base.views import REFUSED, run_action

from .. import actions, blocks, selectors
from ..enums import MailingStatus
from ..forms import AudienceForm, MailingForm, ScheduleForm
from ..models import Audience, Mailing
from ..rendering import body_parts


def _cluster(request, slug) -> Cluster:
    cluster = get_object_or_404(Cluster, slug=slug)
    if not request.user.has_perm("newsletters.manage_mailings", cluster):
        raise Http404
    return cluster


def _mailing(request, pk) -> Mailing:
    return get_object_or_404(
        selectors.mailings_visible_to(request.user).select_related("cluster", "audience"), pk=pk
    )


class MailingListView(LoginRequiredMixin, View):
    def get(self, request, slug):
        cluster = _cluster(request, slug)
        mailings = Mailing.objects.filter(cluster=cluster).order_by("-created")
        return render(
            request, "newsletters/mailing_list.html", {"cluster": cluster, "mailings": mailings}
        )


class _Compose(LoginRequiredMixin, View):
    template_name = "newsletters/mailing_form.html"

    def _forms(self, request, cluster, mailing, data=None):
        initial = {"language": request.user.language} if mailing is None else None
        form = MailingForm(data, instance=mailing, initial=initial, prefix="m")
        audience = AudienceForm(
            data,
            clusters=selectors.addressable_clusters(request.user),
            initial=AudienceForm.initial_for(mailing.audience if mailing else None)
            or {"clusters": [cluster]},
            prefix="a",
        )
        return form, audience

    def _page(self, request, cluster, mailing, form, audience):
        context = {
            "cluster": cluster,
            "mailing": mailing,
            "form": form,
            "audience_form": audience,
            "blocks": blocks.registered(),
        }
        return render(request, self.template_name, context)

    def _save(self, request, cluster, mailing):
        form, audience = self._forms(request, cluster, mailing, request.POST)
        if not (form.is_valid() and audience.is_valid()):
            return self._page(request, cluster, mailing, form, audience)
        saved = run_action(
            actions.mailing_save,
            errors_to=form,
            actor=request.user,
            cluster=cluster,
            fields={f: form.cleaned_data[f] for f in MailingForm.Meta.fields},
            audience_clusters=audience.cleaned_data["clusters"],
            criteria=audience.criteria(),
            mailing=mailing,
        )
        if saved is REFUSED:
            return self._page(request, cluster, mailing, form, audience)
        messages.success(request, _("The mailing is saved."))
        return redirect("newsletters:mailing_detail", pk=saved.pk)


class MailingCreateView(_Compose):
    def get(self, request, slug):
        cluster = _cluster(request, slug)
        return self._page(request, cluster, None, *self._forms(request, cluster, None))

    def post(self, request, slug):
        return self._save(request, _cluster(request, slug), None)


class MailingEditView(_Compose):
    def get(self, request, pk):
        mailing = _mailing(request, pk)
        return self._page(
            request, mailing.cluster, mailing, *self._forms(request, mailing.cluster, mailing)
        )

    def post(self, request, pk):
        mailing = _mailing(request, pk)
        return self._save(request, mailing.cluster, mailing)


class AudienceCountView(LoginRequiredMixin, View):
    """The live count on the compose page (htmx, on every change of the audience)."""

    def get(self, request, slug):
        cluster = _cluster(request, slug)
        form = AudienceForm(
            request.GET, clusters=selectors.addressable_clusters(request.user), prefix="a"
        )
        topic = request.GET.get("m-topic") or "news"
        count = None
        if form.is_valid():
            audience = Audience(owner=cluster, criteria=form.criteria())
            people = selectors.audience_people_in(form.cleaned_data["clusters"], audience.criteria)
            count = selectors.consenting(people, cluster, topic).count()
        return render(request, "newsletters/_audience_count.html", {"count": count, "form": form})


class MailingDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        mailing = _mailing(request, pk)
        language = request.user.language or mailing.language
        version = mailing.version_for(language)
        body_html, body_text = body_parts(
            version.body_markdown, cluster=mailing.cluster, language=language
        )
        context = {
            "mailing": mailing,
            "cluster": mailing.cluster,
            "version": version,
            "body_html": body_html,
            "body_text": body_text,
            "count": selectors.recipient_count(mailing),
            "editable": mailing.status in (MailingStatus.DRAFT, MailingStatus.SCHEDULED),
            "schedule_form": ScheduleForm(),
        }
        return render(request, "newsletters/mailing_detail.html", context)


class MailingTestSendView(LoginRequiredMixin, View):
    def post(self, request, pk):
        mailing = _mailing(request, pk)
        if (
            run_action(
                actions.mailing_test_send, errors_to=request, actor=request.user, mailing=mailing
            )
            is not REFUSED
        ):
            messages.success(
                request, _("A test was sent to %(email)s.") % {"email": request.user.email}
            )
        return redirect("newsletters:mailing_detail", pk=mailing.pk)


class MailingScheduleView(LoginRequiredMixin, View):
    def post(self, request, pk):
        mailing = _mailing(request, pk)
        with timezone.override(mailing.cluster.tzinfo):
            form = ScheduleForm(request.POST)
            valid = form.is_valid()
        if not valid:
            messages.error(request, _("Enter a valid date and time."))
            return redirect("newsletters:mailing_detail", pk=mailing.pk)
        done = run_action(
            actions.mailing_schedule,
            errors_to=request,
            actor=request.user,
            mailing=mailing,
            when=form.cleaned_data["scheduled_at"],
        )
        if done is not REFUSED:
            messages.success(request, _("The mailing is scheduled."))
        return redirect("newsletters:mailing_detail", pk=mailing.pk)
