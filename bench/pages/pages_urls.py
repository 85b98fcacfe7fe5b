"""The portal's URLs plus the two reference pages of bench/pages.

- floor: a signed-in page that renders the base layout and nothing else;
- bare: a view that returns 1 kB through the same middleware (the stack's limit).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from portal.urls import handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

_FLOOR = engines["django"].from_string('{% extends "base.html" %}')
_BARE = b"x" * 1024


@login_required
def floor(request):
    return HttpResponse(_FLOOR.render({}, request))


@login_required
def bare(request):
    return HttpResponse(_BARE, content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/bare/", bare, name="bench_bare"),
    *portal_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
