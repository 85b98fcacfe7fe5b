from django.contrib import admin

from .models import (
    Audience,
    ConsentChange,
    ConsentChoice,
    ConsentDefault,
    Delivery,
    Mailing,
    MailingVersion,
)


class MailingVersionInline(admin.StackedInline):
    model = MailingVersion
    extra = 0


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["subject", "cluster", "topic", "status", "scheduled_at", "recipient_count"]
    list_filter = ["status", "topic", "cluster"]
    inlines = [MailingVersionInline]
    raw_id_fields = ["created_by"]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "saved"]
    filter_horizontal = ["clusters"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["mailing", "person", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["mailing", "person"]


@admin.register(ConsentDefault)
class ConsentDefaultAdmin(admin.ModelAdmin):
    list_display = ["cluster", "topic", "subscribed"]


@admin.register(ConsentChoice)
class ConsentChoiceAdmin(admin.ModelAdmin):
    list_display = ["person", "cluster", "topic", "subscribed", "updated"]
    raw_id_fields = ["person"]


@admin.register(ConsentChange)
class ConsentChangeAdmin(admin.ModelAdmin):
    list_display = ["person", "cluster", "topic", "old", "new", "origin", "time"]
    raw_id_fields = ["person"]

    def has_change_permission(self, request, obj=None):
        return False
