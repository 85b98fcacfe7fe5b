"""The member directory: filters, full-text search, htmx partial updates."""

from django.core.paginator import Page, Paginator
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from portal.base.filtering import filter_results
from portal.base.permissions import MemberRequiredMixin

from ..filters import DirectoryFilter
from ..models import Cluster, Topic
from ..selectors import attach_card_relations, listed_organisations

PAGE_SIZE = 25
# Counting every match of a broad search costs as much as the search itself;
# beyond this the page says "more than 1,000" and offers 40 pages.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (a LIMITed subquery), so a page costs
    the same with 1,000 or 100,000 matches."""

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @cached_property
    def num_pages(self):
        return max(1, -(-min(self.count, COUNT_CAP) // self.per_page))


def directory_page(qs, number) -> Page:
    """The requested page of `qs`, without a count query when the first page
    holds every match (narrow searches, where counting means a full scan)."""
    paginator = CappedPaginator(qs, PAGE_SIZE)
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    if number == 1:
        rows = list(qs[: PAGE_SIZE + 1])
        if len(rows) <= PAGE_SIZE:
            paginator.count = len(rows)  # overrides the cached_property
            return Page(rows, 1, paginator)
        return Page(rows[:PAGE_SIZE], 1, paginator)
    return paginator.get_page(number)


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
        clusters = list(Cluster.objects.only("pk", "name").order_by("name"))
        topics = list(Topic.objects.only("pk", "name", "group").order_by("group", "name"))
        filterset = DirectoryFilter(
            self.request.GET,
            queryset=listed_organisations(user).defer("search_vector"),
            clusters=clusters,
            topics=topics,
            suggest_for=user.organisation_id,
        )
        page = directory_page(filter_results(filterset), self.request.GET.get("page"))
        # Topics and clusters of the page's rows: one query, whatever the rows.
        attach_card_relations(
            page.object_list,
            topics={t.pk: t for t in topics},
            clusters={c.pk: c for c in clusters},
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page_obj": page,
            "organisations": page.object_list,
            "count_cap": COUNT_CAP,
            "querystring": params.urlencode(),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response
