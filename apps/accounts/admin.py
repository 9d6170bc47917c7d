"""Accounts in the admin: Django's user admin, and handing an account an import made for an
author of another wiki (no password, a name like "prefix>Name") to the person it stands for."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import services
from .models import User


class HandOverForm(forms.Form):
    email = forms.EmailField(help_text="Where the link that sets the password goes.")
    username = forms.CharField(
        required=False,
        max_length=150,
        help_text="A new name for the account, if its owner wants one (empty: keep it).",
    )


class FanUserAdmin(UserAdmin):
    actions = ["hand_over_selected"]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_bot")
    list_filter = (*UserAdmin.list_filter, "is_bot")
    # A bot account is one a program runs (over the API): staff grant the flag, and its
    # edits are marked in recent changes and the queue, where they can be left out.
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Bot", {"fields": ("is_bot",)}))

    def get_urls(self):
        return [
            path(
                "<int:pk>/hand-over/",
                self.admin_site.admin_view(self.hand_over_view),
                name="accounts_user_hand_over",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Hand the selected imported account to its owner…")
    def hand_over_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        first = queryset.order_by("pk").first()
        if first is None:
            return redirect("admin:accounts_user_changelist")
        return redirect("admin:accounts_user_hand_over", pk=first.pk)

    def hand_over_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        account = get_object_or_404(User, pk=pk)
        form = HandOverForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.account_hand_over(
                    user=account,
                    email=form.cleaned_data["email"],
                    username=form.cleaned_data["username"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                self.message_user(
                    request,
                    f"“{account.username}” is handed over: a link to choose its password was "
                    f"mailed to {account.email}.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:accounts_user_change", args=[account.pk]))
        return TemplateResponse(
            request,
            "admin/accounts/user/hand_over.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Hand “{account.username}” to its owner",
                "form": form,
                "account": account,
                "opts": self.model._meta,
            },
        )


admin.site.register(User, FanUserAdmin)
