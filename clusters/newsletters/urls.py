from django.urls import path

from .views import manage, preferences, unsubscribe

app_name = "newsletters"

urlpatterns = [
    path("unsubscribe/<str:token>/", unsubscribe.UnsubscribeView.as_view(), name="unsubscribe"),
    path("preferences/", preferences.PreferencesView.as_view(), name="preferences"),
    path("manage/<slug:slug>/", manage.MailingListView.as_view(), name="mailing_list"),
    path("manage/<slug:slug>/new/", manage.MailingCreateView.as_view(), name="mailing_create"),
    path("manage/<slug:slug>/count/", manage.AudienceCountView.as_view(), name="audience_count"),
    path("mailing/<int:pk>/", manage.MailingDetailView.as_view(), name="mailing_detail"),
    path("mailing/<int:pk>/edit/", manage.MailingEditView.as_view(), name="mailing_edit"),
    path("mailing/<int:pk>/test/", manage.MailingTestSendView.as_view(), name="mailing_test"),
    path(
        "mailing/<int:pk>/schedule/", manage.MailingScheduleView.as_view(), name="mailing_schedule"
    ),
]
