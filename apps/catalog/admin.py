from django.contrib import admin

from .models import Episode, Season, Show


class SeasonInline(admin.TabularInline):
    model = Season
    extra = 0


class EpisodeInline(admin.TabularInline):
    model = Episode
    extra = 0
    fields = ("number", "title", "air_date", "production_code")


@admin.register(Show)
class ShowAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "first_aired")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = [SeasonInline]


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ("show", "number")
    list_filter = ("show",)
    list_select_related = ("show",)
    inlines = [EpisodeInline]


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "season", "air_date", "production_code")
    list_filter = ("season__show", "season")
    list_select_related = ("season__show",)
    search_fields = ("title", "production_code")
    date_hierarchy = "air_date"
