from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path(
        "suggestions/<int:pk>/dismiss/",
        views.SuggestionDismissView.as_view(),
        name="suggestion_dismiss",
    ),
    path("clusters/<slug:slug>/", views.ClusterReportView.as_view(), name="cluster_report"),
]
