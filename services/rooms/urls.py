from django.urls import path

from .views import bookings

app_name = "rooms"

urlpatterns = [
    path("", bookings.RoomFinderView.as_view(), name="finder"),
    path("<int:pk>/", bookings.RoomDetailView.as_view(), name="room_detail"),
    path("<int:pk>/book/", bookings.BookingCreateView.as_view(), name="booking_create"),
    path("bookings/", bookings.BookingListView.as_view(), name="booking_list"),
    path("bookings/<int:pk>/", bookings.BookingDetailView.as_view(), name="booking_detail"),
    path("bookings/<int:pk>/cancel/", bookings.BookingCancelView.as_view(), name="booking_cancel"),
    path("bookings/<int:pk>/booking.ics", bookings.BookingIcsView.as_view(), name="booking_ics"),
    path(
        "bookings/<int:pk>/approve/",
        bookings.BookingDecideView.as_view(decision="approve"),
        name="booking_approve",
    ),
    path(
        "bookings/<int:pk>/reject/",
        bookings.BookingDecideView.as_view(decision="reject"),
        name="booking_reject",
    ),
    path("series/<int:pk>/cancel/", bookings.SeriesCancelView.as_view(), name="series_cancel"),
    path("manage/", bookings.RoomManageListView.as_view(), name="room_manage_list"),
    path("manage/new/", bookings.RoomCreateView.as_view(), name="room_create"),
    path("manage/<int:pk>/", bookings.RoomUpdateView.as_view(), name="room_update"),
    path("manage/<int:pk>/delete/", bookings.RoomDeleteView.as_view(), name="room_delete"),
    path("manage/<int:pk>/closed/", bookings.ClosedDateCreateView.as_view(), name="closed_add"),
    path(
        "manage/closed/<int:pk>/delete/",
        bookings.ClosedDateDeleteView.as_view(),
        name="closed_delete",
    ),
    path("manage/bookings/", bookings.BookingManageListView.as_view(), name="booking_manage_list"),
    path("manage/approvals/", bookings.ApprovalQueueView.as_view(), name="approval_queue"),
    path("manage/utilisation/", bookings.UtilisationView.as_view(), name="utilisation"),
]
