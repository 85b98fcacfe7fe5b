from django.urls import path

from .views import bookings, finder, manage_bookings, manage_rooms

app_name = "rooms"

urlpatterns = [
    path("", finder.RoomFinderView.as_view(), name="finder"),
    path("<int:pk>/", finder.RoomDetailView.as_view(), name="room_detail"),
    path("<int:pk>/book/", bookings.BookingCreateView.as_view(), name="booking_create"),
    path("bookings/", bookings.BookingListView.as_view(), name="booking_list"),
    path("bookings/<int:pk>/", bookings.BookingDetailView.as_view(), name="booking_detail"),
    path("bookings/<int:pk>/cancel/", bookings.BookingCancelView.as_view(), name="booking_cancel"),
    path("bookings/<int:pk>/booking.ics", bookings.BookingIcsView.as_view(), name="booking_ics"),
    path(
        "bookings/<int:pk>/approve/",
        manage_bookings.BookingDecideView.as_view(decision="approve"),
        name="booking_approve",
    ),
    path(
        "bookings/<int:pk>/reject/",
        manage_bookings.BookingDecideView.as_view(decision="reject"),
        name="booking_reject",
    ),
    path("series/<int:pk>/cancel/", bookings.SeriesCancelView.as_view(), name="series_cancel"),
    path("manage/", manage_rooms.RoomManageListView.as_view(), name="room_manage_list"),
    path("manage/new/", manage_rooms.RoomCreateView.as_view(), name="room_create"),
    path("manage/<int:pk>/", manage_rooms.RoomUpdateView.as_view(), name="room_update"),
    path("manage/<int:pk>/delete/", manage_rooms.RoomDeleteView.as_view(), name="room_delete"),
    path("manage/<int:pk>/closed/", manage_rooms.ClosedDateCreateView.as_view(), name="closed_add"),
    path(
        "manage/closed/<int:pk>/delete/",
        manage_rooms.ClosedDateDeleteView.as_view(),
        name="closed_delete",
    ),
    path(
        "manage/bookings/",
        manage_bookings.BookingManageListView.as_view(),
        name="booking_manage_list",
    ),
    path("manage/approvals/", manage_bookings.ApprovalQueueView.as_view(), name="approval_queue"),
    path("manage/utilisation/", manage_bookings.UtilisationView.as_view(), name="utilisation"),
]
