"""The member directory: filters, full-text search, htmx partial updates."""

from django.core.paginator import Paginator
from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from portal.permissions import MemberRequiredMixin

from ..filters import DirectoryFilter
from ..selectors import listed_organisations, with_directory_relations

PAGE_SIZE = 25


class DirectoryView(MemberRequiredMixin, TemplateView):
    template_name = "clusters/organisation_directory.html"
    partial_template_name = "clusters/_directory_results.html"

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        user = self.request.user
        filterset = DirectoryFilter(self.request.GET, queryset=listed_organisations(user))
        # Prefetches run on the page's rows only: a fixed number of queries per page.
        qs = with_directory_relations(filterset.qs)
        page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "organisations": page.object_list,
            "querystring": params.urlencode(),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response
