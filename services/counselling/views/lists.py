"""What the request lists share: the page size, the overdue flag, the list page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from ..selectors import request_rows

PAGE_SIZE = 50


def mark_overdue(rows):
    today = timezone.now().date()
    for row in rows:
        row.overdue = row.is_overdue(today)
    return rows


class RequestList(LoginRequiredMixin, TemplateView):
    template_name = "services/request_list.html"
    box = ""

    def get_queryset(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        rows = request_rows(self.get_queryset())
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "box": self.box,
            "page_obj": page,
            "requests": mark_overdue(list(page.object_list)),
            "querystring": "",
        }
