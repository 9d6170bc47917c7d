import math

from axes.helpers import get_cool_off
from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .context_processors import mail_in_terminal
from .forms import EmailChangeForm, PasswordResetRequestForm, PreferencesForm, SignUpForm
from .verification import read_token

TOO_MANY_REQUESTS = 429
# One verification mail a minute at most: the button must not be a way to flood an inbox.
RESEND_SECONDS = 60


def _safe_next(request, fallback="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def signup(request):
    if request.user.is_authenticated:
        return render(request, "accounts/signup.html")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.verification_send(user=user)
        login(request, user, backend="apps.accounts.backends.CachedPermissionsBackend")
        messages.success(
            request,
            f"Welcome, {user.username}. We have mailed a link to {user.email}: follow it to "
            "confirm your address, and you can propose articles and edits."
            + (
                " (This development server prints the e-mail in its terminal.)"
                if mail_in_terminal()
                else ""
            ),
        )
        return redirect(_safe_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")})


def _render_settings(request, *, email_form=None, preferences_form=None, status=200):
    user = request.user
    context = {
        "require_verified_email": settings.REQUIRE_VERIFIED_EMAIL,
        "email_form": email_form or EmailChangeForm(user),
        "preferences_form": preferences_form
        or PreferencesForm(
            initial={
                "notify_on_site": user.notify_on_site,
                "notification_email": user.notification_email,
            }
        ),
    }
    return render(request, "accounts/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request):
    """The account page; a POST saves the notification preferences."""
    if request.method != "POST":
        return _render_settings(request)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _render_settings(request, preferences_form=form, status=400)
    services.preferences_update(
        user=request.user,
        notify_on_site=form.cleaned_data["notify_on_site"],
        notification_email=form.cleaned_data["notification_email"],
    )
    messages.success(request, "Your notification preferences are saved.")
    return redirect("accounts:settings")


@login_required
@require_POST
def email_change(request):
    form = EmailChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _render_settings(request, email_form=form, status=400)
    if services.email_change(user=request.user, email=form.cleaned_data["email"]):
        cache.set(f"accounts:verification-sent:{request.user.pk}", True, RESEND_SECONDS)
        messages.success(
            request,
            f"Your address is now {request.user.email}. We have mailed a link to it: "
            "follow it to confirm the address.",
        )
    else:
        messages.success(request, "That is already your address; nothing changed.")
    return redirect("accounts:settings")


@login_required
@require_POST
def verification_send(request):
    user = request.user
    if user.email_verified:
        messages.success(request, f"{user.email} is already confirmed.")
        return redirect("accounts:settings")
    if not user.email:
        messages.error(request, "Add an e-mail address first.")
        return redirect("accounts:settings")
    if not cache.add(f"accounts:verification-sent:{user.pk}", True, RESEND_SECONDS):
        messages.error(
            request,
            "We sent a link less than a minute ago: check your inbox (and spam folder) "
            "before asking again.",
        )
        return redirect("accounts:settings")
    services.verification_send(user=user)
    messages.success(request, f"We have mailed a new link to {user.email}.")
    return redirect("accounts:settings")


@require_http_methods(["GET", "HEAD", "POST"])
def email_verify(request, token):
    """The link from the mail: a page with a button, so that a mail scanner fetching
    the link verifies nothing; the button's POST does."""
    claim = read_token(token)
    if claim is None:
        return render(request, "accounts/verify_email.html", {"valid": False}, status=400)
    if request.method != "POST":
        return render(request, "accounts/verify_email.html", {"valid": True, "email": claim.email})
    try:
        user = services.email_verify(claim=claim)
    except services.AddressTaken:
        messages.error(
            request,
            f"{claim.email} is already confirmed for another account: sign in to that one "
            "(or reset its password from the log-in page), or give this account another address.",
        )
        return redirect("accounts:settings" if request.user.is_authenticated else "accounts:login")
    if user is None:
        return render(request, "accounts/verify_email.html", {"valid": False}, status=400)
    messages.success(request, f"Thank you: {user.email} is confirmed. You can propose now.")
    if request.user.is_authenticated:
        return redirect("accounts:settings")
    return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page; the worker sends the mail (forms.PasswordResetRequestForm), with
    links built from SITE_URL rather than the request's Host header (which a client
    chooses: a forged one would mail a link to someone else's site)."""

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The owner proved they read the account's mail: failed log-ins no longer hold it,
        # and the address is confirmed (an imported account handed over starts unconfirmed).
        reset_lockouts(username=form.user.get_username())
        if form.user.email and form.user.email_verified_at is None:
            form.user.email_verified_at = timezone.now()
            form.user.save(update_fields=["email_verified_at"])
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
