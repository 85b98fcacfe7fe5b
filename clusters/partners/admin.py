from django.contrib import admin

from .models import PartnerSuggestion, SuggestionDismissal


@admin.register(PartnerSuggestion)
class PartnerSuggestionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "rank", "suggested", "score", "computed_at", "first_shown_at"]
    list_select_related = ["organisation", "suggested"]
    list_filter = ["meets_needs"]
    search_fields = ["organisation__name", "suggested__name"]
    raw_id_fields = ["organisation", "suggested"]
    readonly_fields = ["score", "rank", "reasons", "meets_needs", "computed_at"]


@admin.register(SuggestionDismissal)
class SuggestionDismissalAdmin(admin.ModelAdmin):
    list_display = ["organisation", "suggested", "by", "created"]
    list_select_related = ["organisation", "suggested", "by"]
    search_fields = ["organisation__name", "suggested__name"]
    raw_id_fields = ["organisation", "suggested", "by"]
