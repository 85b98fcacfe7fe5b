from django.urls import path

from .views import manager, member

app_name = "events"

urlpatterns = [
    path("", member.EventListView.as_view(), name="event_list"),
    path("new/", manager.EventCreateView.as_view(), name="event_create"),
    path("manage/", manager.EventManageListView.as_view(), name="event_manage"),
    path("mine/", member.MyRegistrationsView.as_view(), name="registration_list"),
    path(
        "registrations/<int:pk>/cancel/",
        member.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path("<slug:slug>/", member.EventDetailView.as_view(), name="event_detail"),
    path("<slug:slug>.ics", member.EventIcsView.as_view(), name="event_ics"),
    path("<slug:slug>/edit/", manager.EventUpdateView.as_view(), name="event_update"),
    path("<slug:slug>/publish/", manager.EventPublishView.as_view(), name="event_publish"),
    path("<slug:slug>/cancel/", manager.EventCancelView.as_view(), name="event_cancel"),
    path(
        "<slug:slug>/register/", member.RegistrationCreateView.as_view(), name="registration_create"
    ),
    path("<slug:slug>/attendees/", manager.AttendeeListView.as_view(), name="attendee_list"),
    path("<slug:slug>/attendees.csv", manager.AttendeeCsvView.as_view(), name="attendee_csv"),
    path("<slug:slug>/check-in/", manager.CheckInView.as_view(), name="checkin"),
    path(
        "<slug:slug>/check-in/<int:pk>/",
        manager.CheckInToggleView.as_view(),
        name="checkin_toggle",
    ),
]
