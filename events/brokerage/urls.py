from django.urls import path

from .views import manager, member

app_name = "brokerage"

urlpatterns = [
    path("", member.MyMeetingsView.as_view(), name="my_meetings"),
    path(
        "requests/<int:pk>/<str:decision>/",
        member.RequestDecideView.as_view(),
        name="request_decide",
    ),
    path("meetings/<int:pk>/feedback/", member.MeetingFeedbackView.as_view(), name="feedback"),
    path("meetings/<int:pk>/cancel/", member.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/lock/", manager.MeetingLockView.as_view(), name="meeting_lock"),
    path("<slug:slug>/", member.BrokerageHomeView.as_view(), name="home"),
    path("<slug:slug>/profile/", member.ParticipantProfileView.as_view(), name="profile"),
    path(
        "<slug:slug>/participants/",
        member.ParticipantListView.as_view(),
        name="participant_list",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/",
        member.ParticipantDetailView.as_view(),
        name="participant_detail",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/request/",
        member.MeetingRequestCreateView.as_view(),
        name="request_create",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/agenda/",
        manager.ParticipantAgendaView.as_view(),
        name="participant_agenda",
    ),
    path("<slug:slug>/requests/", member.RequestListView.as_view(), name="request_list"),
    path("<slug:slug>/agenda/", member.AgendaView.as_view(), name="agenda"),
    path("<slug:slug>/agenda.ics", member.AgendaIcsView.as_view(), name="agenda_ics"),
    path("<slug:slug>/setup/", manager.BrokerageSettingsView.as_view(), name="settings"),
    path("<slug:slug>/schedule/", manager.ScheduleView.as_view(), name="schedule"),
    path("<slug:slug>/schedule/run/", manager.ScheduleRunStartView.as_view(), name="schedule_run"),
    path(
        "<slug:slug>/schedule/runs/<int:pk>/",
        manager.ScheduleRunProgressView.as_view(),
        name="run_progress",
    ),
    path("<slug:slug>/schedule/grid/", manager.ScheduleGridView.as_view(), name="grid"),
    path("<slug:slug>/schedule.csv", manager.ScheduleCsvView.as_view(), name="schedule_csv"),
    path("<slug:slug>/publish/", manager.AgendaPublishView.as_view(), name="publish"),
]
