"""The catalogue's pages. They sit in the "services" URL namespace (composed by
services/counselling/urls.py), under the names they always had."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.OfferingListView.as_view(), name="catalogue"),
    path("clusters/<slug:slug>/", views.OfferingListView.as_view(), name="cluster_catalogue"),
    path(
        "clusters/<slug:slug>/offerings/new/",
        views.OfferingCreateView.as_view(),
        name="offering_create",
    ),
    path("offerings/<int:pk>/edit/", views.OfferingUpdateView.as_view(), name="offering_edit"),
]
