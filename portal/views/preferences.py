"""A person's display preferences: the columns shown in a list."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from events.columns import ATTENDEE_COLUMNS
from portal.base.columns import columns_reset, columns_save
from portal.base.views import REFUSED, run_action
from services.counselling.columns import QUEUE_COLUMNS
from services.rooms.columns import BOOKING_COLUMNS

COLUMN_SETS = {s.key: s for s in (QUEUE_COLUMNS, ATTENDEE_COLUMNS, BOOKING_COLUMNS)}


class ColumnsSaveView(LoginRequiredMixin, View):
    """The "Columns" menu's form: keep the choice, then back to the list."""

    def post(self, request, list_key):
        column_set = COLUMN_SETS.get(list_key)
        if column_set is None:
            raise Http404
        if "reset" in request.POST:
            done = run_action(
                columns_reset, errors_to=request, actor=request.user, column_set=column_set
            )
        else:
            done = run_action(
                columns_save,
                errors_to=request,
                actor=request.user,
                column_set=column_set,
                chosen=request.POST.getlist("columns"),
            )
        if done is not REFUSED:
            messages.success(request, _("Columns saved."))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("dashboard")
        return redirect(back)
