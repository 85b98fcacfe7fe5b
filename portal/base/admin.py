from django.contrib import admin

from .models import AuditEntry, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created", "read_at", "email_status", "email_attempts"]
    list_filter = ["email_status"]
    search_fields = ["subject", "recipient__email"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["email_error"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created", "actor_label", "action", "object_type", "object_id", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
