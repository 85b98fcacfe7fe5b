from django.contrib import admin

from .models import (
    BrokerageSettings,
    Meeting,
    MeetingRequest,
    Participant,
    ScheduleRun,
    Session,
    Slot,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(BrokerageSettings)
class BrokerageSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "meeting_minutes", "tables", "max_meetings", "agenda_status"]
    raw_id_fields = ["event"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["brokerage", "start", "end"]
    raw_id_fields = ["brokerage"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["brokerage", "index", "start", "end"]
    raw_id_fields = ["brokerage", "session"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "event"]
    raw_id_fields = ["event", "user", "organisation"]
    filter_horizontal = ["topics"]
    exclude = ["availability"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["from_participant", "to_participant", "event", "status", "created"]
    list_filter = ["status"]
    raw_id_fields = ["event", "from_participant", "to_participant"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["event", "a", "b", "slot", "table", "locked", "held", "follow_up"]
    list_filter = ["locked", "held", "follow_up"]
    raw_id_fields = ["event", "request", "a", "b", "slot", "feedback_by"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "progress", "created", "finished"]
    list_filter = ["status"]
    raw_id_fields = ["event", "created_by"]
