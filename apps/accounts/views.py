import math
from urllib.parse import urlsplit

from axes.helpers import get_cool_off
from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import SignUpForm

TOO_MANY_REQUESTS = 429


def _safe_next(request, fallback="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"Welcome, {user.username}. You can now propose articles and edits."
        )
        return redirect(_safe_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with links built from SITE_URL rather than the request's Host header
    (which a client chooses: a forged one would mail a link to someone else's site)."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self):
        site = urlsplit(settings.SITE_URL)
        return {"protocol": site.scheme, "domain": site.netloc, "site_name": "Fan wiki"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The owner proved they read the account's mail: failed log-ins no longer hold it.
        reset_lockouts(username=form.user.get_username())
        return response


def locked_out(request, response=None, credentials=None):
    """The page django-axes shows (AXES_LOCKOUT_CALLABLE) when a log-in is refused."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    page = render(
        request, "accounts/locked_out.html", {"minutes": minutes}, status=TOO_MANY_REQUESTS
    )
    if minutes:
        page["Retry-After"] = str(minutes * 60)
    return page
