from django.contrib import admin

from .models import ServiceCategory


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "importance"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
