from django.contrib import admin

from .models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "author", "publisher", "url", "published_date")
    list_filter = ("kind",)
    search_fields = ("title", "url", "publisher", "author")
    readonly_fields = ("created_by", "created_at")
    date_hierarchy = "created_at"
