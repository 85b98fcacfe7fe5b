from django.contrib import admin

from .models import Booking, BookingSeries, ClosedDate, OpeningHours, Room


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosedDateInline(admin.TabularInline):
    model = ClosedDate
    extra = 0


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "kind", "capacity", "needs_approval", "is_active"]
    list_filter = ["kind", "needs_approval", "is_active", "cluster"]
    search_fields = ["name", "cluster__name"]
    inlines = [OpeningHoursInline, ClosedDateInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-mostly: bookings are made and changed through the portal's actions,
    so the room's rules (and the overlap lock) cannot be bypassed here."""

    list_display = ["title", "room", "organisation", "start", "end", "status"]
    list_filter = ["status", "room__cluster"]
    search_fields = ["title", "organisation__name", "person__email"]
    raw_id_fields = ["room", "organisation", "person", "series", "event", "decided_by"]
    date_hierarchy = "start"

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Booking._meta.fields]


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "room", "frequency", "count", "until", "created"]
    raw_id_fields = ["room", "organisation", "person"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["room", "weekday", "opens", "closes"]


@admin.register(ClosedDate)
class ClosedDateAdmin(admin.ModelAdmin):
    list_display = ["room", "date", "reason"]
