from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("new/", views.EventCreateView.as_view(), name="event_create"),
    path("manage/", views.EventManageListView.as_view(), name="event_manage"),
    path("mine/", views.MyRegistrationsView.as_view(), name="registration_list"),
    path(
        "registrations/<int:pk>/cancel/",
        views.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<slug:slug>.ics", views.EventIcsView.as_view(), name="event_ics"),
    path("<slug:slug>/edit/", views.EventUpdateView.as_view(), name="event_update"),
    path("<slug:slug>/publish/", views.EventPublishView.as_view(), name="event_publish"),
    path("<slug:slug>/cancel/", views.EventCancelView.as_view(), name="event_cancel"),
    path(
        "<slug:slug>/register/", views.RegistrationCreateView.as_view(), name="registration_create"
    ),
    path("<slug:slug>/attendees/", views.AttendeeListView.as_view(), name="attendee_list"),
    path("<slug:slug>/attendees.csv", views.AttendeeCsvView.as_view(), name="attendee_csv"),
    path("<slug:slug>/check-in/", views.CheckInView.as_view(), name="checkin"),
    path(
        "<slug:slug>/check-in/<int:pk>/",
        views.CheckInToggleView.as_view(),
        name="checkin_toggle",
    ),
]
