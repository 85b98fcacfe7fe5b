"""/clusters/<slug>/brand.css: the cluster's accent colour as design tokens.

A stylesheet, not an inline style, because the CSP has no 'unsafe-inline'. Pages
link it with ?v=<version>, so browsers may keep it a day; ETag and Last-Modified
let them revalidate cheaply (304) when they ask without the query.
"""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from ..branding import brand_css, brand_version
from ..models import Cluster


def _cluster(request, slug: str) -> Cluster | None:
    """One query per request, shared by the ETag, Last-Modified and the body."""
    if not hasattr(request, "_brand_cluster"):
        fields = ("pk", "slug", "accent_colour", "brand_updated")
        request._brand_cluster = Cluster.objects.only(*fields).filter(slug=slug).first()
    return request._brand_cluster


def _etag(request, slug):
    cluster = _cluster(request, slug)
    return brand_version(cluster) if cluster else None


def _last_modified(request, slug):
    cluster = _cluster(request, slug)
    return cluster.brand_updated if cluster else None


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def brand_stylesheet(request, slug):
    cluster = _cluster(request, slug)
    if cluster is None:
        raise Http404
    response = HttpResponse(brand_css(cluster), content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=86400)
    return response
