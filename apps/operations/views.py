"""Leaving the wiki: downloading one's data, deleting one's account."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from apps.web.forms import Utf8Form
from apps.web.requests import user_of

from . import leaving

CONFIRM = "delete my account"


class DeleteForm(Utf8Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(label=f"Type “{CONFIRM}”", max_length=50)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_confirm(self) -> str:
        if self.cleaned_data["confirm"].strip().lower() != CONFIRM:
            raise forms.ValidationError(f"Type “{CONFIRM}” to confirm.")
        return self.cleaned_data["confirm"]


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the wiki keeps that is the signed-in fan's, as a JSON file."""
    user = user_of(request)
    body = json.dumps(leaving.personal_data(user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="fan-wiki-{user.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = DeleteForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        leaving.account_delete(user=user, actor=user)
        logout(request)
        messages.success(
            request,
            "Your account is deleted. What you wrote stays, credited to a former contributor.",
        )
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "operations/leave.html", {"form": form, "confirm": CONFIRM}, status=status
    )
