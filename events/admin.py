from django.contrib import admin

from .models import Event, Registration, ReminderDelivery


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "seat_type", "status", "created", "attended_at"]
    readonly_fields = ["created"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "cluster", "kind", "format", "start", "status", "audience"]
    list_filter = ["status", "kind", "format", "audience", "cluster"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start"
    filter_horizontal = ["topics"]
    raw_id_fields = ["created_by"]
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "seat_type", "status", "created", "attended_at"]
    list_filter = ["status", "seat_type"]
    search_fields = ["event__title", "user__email"]
    raw_id_fields = ["event", "user"]


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    list_display = ["registration", "offset_minutes", "status", "claimed_at", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["registration"]
