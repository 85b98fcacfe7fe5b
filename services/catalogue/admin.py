from django.contrib import admin

from .models import ServiceCategory, ServiceOffering


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "importance"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(admin.ModelAdmin):
    list_display = ["title", "cluster", "category", "terms", "response_days", "is_active"]
    list_filter = ["is_active", "terms", "category", "cluster"]
    search_fields = ["title", "description", "cluster__name"]
    raw_id_fields = ["provider_advisor", "provider_organisation"]
