"""/services/: the catalogue's pages (services.catalogue) and counselling requests, one
URL namespace "services" as before the catalogue had an app of its own."""

from django.urls import path

from services.catalogue.urls import urlpatterns as catalogue_urlpatterns

from .views import requests

app_name = "services"

urlpatterns = [
    *catalogue_urlpatterns,
    path("requests/", requests.RequestListView.as_view(), name="request_list"),
    path("requests/new/", requests.RequestCreateView.as_view(), name="request_create"),
    path("requests/assigned/", requests.AssignedListView.as_view(), name="assigned"),
    path("requests/<int:pk>/", requests.RequestDetailView.as_view(), name="request_detail"),
    path(
        "requests/<int:pk>/move/<slug:move>/",
        requests.RequestMoveView.as_view(),
        name="request_move",
    ),
    path(
        "requests/<int:pk>/messages/", requests.RequestMessageView.as_view(), name="request_message"
    ),
    path("requests/<int:pk>/rate/", requests.RequestRateView.as_view(), name="request_rate"),
    path("attachments/<int:pk>/", requests.AttachmentDownloadView.as_view(), name="attachment"),
    path("queue/", requests.QueueView.as_view(), name="queue"),
    path("queue/export.csv", requests.QueueExportView.as_view(), name="queue_export"),
]
