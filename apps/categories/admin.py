"""Categories in the admin: listed with their articles; merged (the one thing done by hand,
through the same service the site would use). Memberships come from approved versions."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from apps.accounts.models import User
from apps.web.admin_helpers import ReadOnlyAdminMixin
from apps.web.refusals import message_of
from apps.wiki.permissions import can_moderate

from . import services
from .models import Category


class MergeForm(forms.Form):
    merged = forms.ModelChoiceField(
        Category.objects.filter(merged_into__isnull=True),
        label="Merge this category",
        help_text="Its articles move to the one kept; its address and name lead there.",
    )
    into = forms.ModelChoiceField(
        Category.objects.filter(merged_into__isnull=True), label="into this one (kept)"
    )


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "article_count", "page", "merged_into", "created_at")
    list_filter = (("merged_into", admin.EmptyFieldListFilter),)
    list_select_related = ("page", "merged_into")
    search_fields = ("name", "slug")
    readonly_fields = ("name", "slug", "page", "merged_into", "created_at")
    fields = readonly_fields
    actions = ["merge_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(article_count=Count("memberships"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, category: Category) -> int:
        return category.article_count  # type: ignore[attr-defined]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_moderate(request.user) or super().has_view_permission(request, obj)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "merge/",
                self.admin_site.admin_view(self.merge_view),
                name="categories_category_merge",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Merge the selected category into another…")
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[Category]) -> HttpResponse:
        first = queryset.order_by("pk").first()
        url = reverse("admin:categories_category_merge")
        return redirect(f"{url}?merged={first.pk}" if first else url)

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not can_moderate(user):
            raise PermissionDenied
        form = MergeForm(request.POST or None, initial={"merged": request.GET.get("merged")})
        if request.method == "POST" and form.is_valid():
            merged, into = form.cleaned_data["merged"], form.cleaned_data["into"]
            try:
                moved = services.category_merge(merged=merged, into=into, moderator=user)
            except ValidationError as error:
                self.message_user(request, message_of(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"“{merged}” was merged into “{into}”: {moved} article(s) moved; its "
                    "address now leads there.",
                    messages.SUCCESS,
                )
                return redirect("admin:categories_category_changelist")
        return TemplateResponse(
            request,
            "admin/categories/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge two categories",
                "form": form,
                "opts": self.model._meta,
            },
        )
