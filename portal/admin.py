from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created", "read_at", "email_status", "email_attempts"]
    list_filter = ["email_status"]
    search_fields = ["subject", "recipient__email"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["email_error"]
