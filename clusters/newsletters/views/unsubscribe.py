"""Unsubscribe from one topic of one cluster by the signed link in a mailing: works
without signing in. GET asks to confirm; POST unsubscribes. A mail program's RFC 8058
one-click POST (body `List-Unsubscribe=One-Click`) carries no CSRF token and no
session, so this view alone is exempt from CSRF: the signed token is the permission,
and the only thing it can do is turn mail off."""

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from clusters.models import Cluster
from portal.base.errors import ActionError

from .. import actions
from ..enums import ConsentTopic
from ..tokens import read_token

ONE_CLICK = "One-Click"


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    template_name = "newsletters/unsubscribe.html"

    def get(self, request, token):
        data = read_token(token)
        cluster = None
        if data is not None:
            cluster = Cluster.objects.filter(pk=data.cluster_id).first()
        if data is None or cluster is None or data.topic not in ConsentTopic.values:
            return render(request, self.template_name, {"invalid": True}, status=400)
        context = {"cluster": cluster, "topic_label": ConsentTopic(data.topic).label}
        return render(request, self.template_name, context)

    def post(self, request, token):
        one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK
        try:
            cluster, topic = actions.unsubscribe_by_token(token=token)
        except ActionError:
            return render(request, self.template_name, {"invalid": True}, status=400)
        context = {"cluster": cluster, "topic_label": ConsentTopic(topic).label, "done": True}
        response = render(request, self.template_name, context)
        if one_click:
            response["Cache-Control"] = "no-store"
        return response
