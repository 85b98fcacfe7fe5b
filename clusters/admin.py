from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    Cluster,
    ClusterRole,
    IntroductionRequest,
    Invitation,
    Membership,
    Organisation,
    Topic,
    TopicAlias,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["applied_by", "decided_by"]


class ClusterRoleInline(admin.TabularInline):
    model = ClusterRole
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "short_code", "country", "region", "city", "innovation_group"]
    list_filter = ["country", "innovation_group"]
    search_fields = ["name", "region", "city", "focus"]
    prepopulated_fields = {"slug": ["name"]}


class TopicAliasInline(admin.TabularInline):
    """Names of the topic in the members' languages, for partner matching (they add
    to the table kept in clusters/data/topic_aliases.csv)."""

    model = TopicAlias
    extra = 1


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "group"]
    list_filter = ["group"]
    search_fields = ["name", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicAliasInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "size", "country", "visibility"]
    list_filter = ["kind", "size", "country", "visibility"]
    search_fields = ["name", "description", "offers", "needs"]
    filter_horizontal = ["topics", "offer_topics", "need_topics"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "cluster", "status", "since"]
    list_filter = ["status", "cluster"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "applied_by", "decided_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "organisation",
        "org_role",
        "is_network_admin",
    ]
    list_filter = ["is_network_admin", "is_staff", "org_role", "language"]
    search_fields = ["email", "first_name", "last_name", "organisation__name"]
    raw_id_fields = ["organisation"]
    inlines = [ClusterRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "job_title", "language", "time_zone"]}),
        ("Organisation", {"fields": ["organisation", "org_role"]}),
        (
            "Access",
            {"fields": ["is_active", "is_network_admin", "is_staff", "is_superuser", "groups"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "created", "expires_at", "accepted_at"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    exclude = ["token"]


@admin.register(IntroductionRequest)
class IntroductionRequestAdmin(admin.ModelAdmin):
    list_display = ["from_organisation", "to_organisation", "status", "created", "decided_at"]
    list_filter = ["status"]
    search_fields = ["from_organisation__name", "to_organisation__name"]
    raw_id_fields = ["from_user", "from_organisation", "to_organisation", "decided_by"]
    date_hierarchy = "created"
