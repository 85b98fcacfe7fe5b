from django.urls import path

from . import views

app_name = "rooms"

urlpatterns = [
    path("", views.RoomFinderView.as_view(), name="finder"),
    path("<int:pk>/", views.RoomDetailView.as_view(), name="room_detail"),
    path("<int:pk>/book/", views.BookingCreateView.as_view(), name="booking_create"),
    path("bookings/", views.BookingListView.as_view(), name="booking_list"),
    path("bookings/<int:pk>/", views.BookingDetailView.as_view(), name="booking_detail"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking_cancel"),
    path("bookings/<int:pk>/booking.ics", views.BookingIcsView.as_view(), name="booking_ics"),
    path(
        "bookings/<int:pk>/approve/",
        views.BookingDecideView.as_view(decision="approve"),
        name="booking_approve",
    ),
    path(
        "bookings/<int:pk>/reject/",
        views.BookingDecideView.as_view(decision="reject"),
        name="booking_reject",
    ),
    path("series/<int:pk>/cancel/", views.SeriesCancelView.as_view(), name="series_cancel"),
    path("manage/", views.RoomManageListView.as_view(), name="room_manage_list"),
    path("manage/new/", views.RoomCreateView.as_view(), name="room_create"),
    path("manage/<int:pk>/", views.RoomUpdateView.as_view(), name="room_update"),
    path("manage/<int:pk>/delete/", views.RoomDeleteView.as_view(), name="room_delete"),
    path("manage/<int:pk>/closed/", views.ClosedDateCreateView.as_view(), name="closed_add"),
    path(
        "manage/closed/<int:pk>/delete/",
        views.ClosedDateDeleteView.as_view(),
        name="closed_delete",
    ),
    path("manage/bookings/", views.BookingManageListView.as_view(), name="booking_manage_list"),
    path("manage/approvals/", views.ApprovalQueueView.as_view(), name="approval_queue"),
    path("manage/utilisation/", views.UtilisationView.as_view(), name="utilisation"),
]
