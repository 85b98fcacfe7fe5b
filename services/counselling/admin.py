from django.contrib import admin

from .models import (
    CounsellingRequest,
    DigestDelivery,
    RequestAttachment,
    RequestMessage,
    RequestTransition,
)


class TransitionInline(admin.TabularInline):
    model = RequestTransition
    extra = 0
    can_delete = False
    readonly_fields = ["created", "actor", "move", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = RequestAttachment
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "message", "uploaded_by", "created"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CounsellingRequest)
class CounsellingRequestAdmin(admin.ModelAdmin):
    """Read-mostly: the workflow moves only through services.counselling.actions (locks, audit trail)."""

    list_display = [
        "reference",
        "subject",
        "cluster",
        "requester_organisation",
        "status",
        "urgency",
        "assignee",
        "due_date",
        "created",
    ]
    list_filter = ["status", "urgency", "cluster", "category"]
    search_fields = ["reference", "subject", "requester_organisation__name"]
    raw_id_fields = ["requester", "requester_organisation", "assignee", "offering"]
    readonly_fields = [
        "reference",
        "number",
        "status",
        "assignee",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "created",
    ]
    inlines = [TransitionInline, AttachmentInline]
    date_hierarchy = "created"


@admin.register(RequestTransition)
class RequestTransitionAdmin(admin.ModelAdmin):
    list_display = ["request", "move", "from_status", "to_status", "actor", "created"]
    list_filter = ["move", "to_status"]
    raw_id_fields = ["request", "actor"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RequestMessage)
class RequestMessageAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "internal", "created"]
    list_filter = ["internal"]
    raw_id_fields = ["request", "author"]


@admin.register(RequestAttachment)
class RequestAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "request", "content_type", "size", "created"]
    raw_id_fields = ["request", "message", "uploaded_by"]
    readonly_fields = ["stored_name", "content_type", "size"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["manager", "date", "request_count", "sent_at"]
    raw_id_fields = ["manager"]
