from django.urls import path

from .views import preferences, unsubscribe

app_name = "newsletters"

urlpatterns = [
    path("unsubscribe/<str:token>/", unsubscribe.UnsubscribeView.as_view(), name="unsubscribe"),
    path("preferences/", preferences.PreferencesView.as_view(), name="preferences"),
]
