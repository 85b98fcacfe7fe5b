from django.urls import path

from . import views

app_name = "brokerage"

urlpatterns = [
    path("", views.MyMeetingsView.as_view(), name="my_meetings"),
    path(
        "requests/<int:pk>/<str:decision>/",
        views.RequestDecideView.as_view(),
        name="request_decide",
    ),
    path("meetings/<int:pk>/feedback/", views.MeetingFeedbackView.as_view(), name="feedback"),
    path("meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/lock/", views.MeetingLockView.as_view(), name="meeting_lock"),
    path("<slug:slug>/", views.BrokerageHomeView.as_view(), name="home"),
    path("<slug:slug>/profile/", views.ParticipantProfileView.as_view(), name="profile"),
    path(
        "<slug:slug>/participants/",
        views.ParticipantListView.as_view(),
        name="participant_list",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/",
        views.ParticipantDetailView.as_view(),
        name="participant_detail",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/request/",
        views.MeetingRequestCreateView.as_view(),
        name="request_create",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/agenda/",
        views.ParticipantAgendaView.as_view(),
        name="participant_agenda",
    ),
    path("<slug:slug>/requests/", views.RequestListView.as_view(), name="request_list"),
    path("<slug:slug>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("<slug:slug>/agenda.ics", views.AgendaIcsView.as_view(), name="agenda_ics"),
    path("<slug:slug>/setup/", views.BrokerageSettingsView.as_view(), name="settings"),
    path("<slug:slug>/schedule/", views.ScheduleView.as_view(), name="schedule"),
    path("<slug:slug>/schedule/run/", views.ScheduleRunStartView.as_view(), name="schedule_run"),
    path(
        "<slug:slug>/schedule/runs/<int:pk>/",
        views.ScheduleRunProgressView.as_view(),
        name="run_progress",
    ),
    path("<slug:slug>/schedule/grid/", views.ScheduleGridView.as_view(), name="grid"),
    path("<slug:slug>/schedule.csv", views.ScheduleCsvView.as_view(), name="schedule_csv"),
    path("<slug:slug>/publish/", views.AgendaPublishView.as_view(), name="publish"),
]
