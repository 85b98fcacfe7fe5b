"""/services/: the catalogue's pages (services.catalogue) and counselling requests, one
URL namespace "services" as before the catalogue had an app of its own."""

from django.urls import path

from services.catalogue.urls import urlpatterns as catalogue_urlpatterns

from .views import detail, member, staff

app_name = "services"

urlpatterns = [
    *catalogue_urlpatterns,
    path("requests/", member.RequestListView.as_view(), name="request_list"),
    path("requests/new/", member.RequestCreateView.as_view(), name="request_create"),
    path("requests/assigned/", staff.AssignedListView.as_view(), name="assigned"),
    path("requests/<int:pk>/", detail.RequestDetailView.as_view(), name="request_detail"),
    path(
        "requests/<int:pk>/move/<slug:move>/",
        detail.RequestMoveView.as_view(),
        name="request_move",
    ),
    path(
        "requests/<int:pk>/messages/", detail.RequestMessageView.as_view(), name="request_message"
    ),
    path("requests/<int:pk>/rate/", detail.RequestRateView.as_view(), name="request_rate"),
    path("attachments/<int:pk>/", detail.AttachmentDownloadView.as_view(), name="attachment"),
    path("queue/", staff.QueueView.as_view(), name="queue"),
    path("queue/export.csv", staff.QueueExportView.as_view(), name="queue_export"),
]
