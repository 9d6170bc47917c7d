"""The API's pages: its reference (made from the OpenAPI document, no script at all) and
the tokens section of the account page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.web.refusals import add_errors
from apps.web.requests import user_of
from apps.wiki.permissions import can_moderate

from . import reference as reference_data
from .forms import TokenForm
from .models import ApiToken
from .tokens import token_create
from .tokens import token_revoke as revoke


@require_safe
def reference(request: HttpRequest) -> HttpResponse:
    """The API's reference, rendered on the server from its OpenAPI document."""
    return render(request, "api/reference.html", reference_data.context())


def tokens_section(request: HttpRequest, form: TokenForm | None = None) -> dict:
    user = user_of(request)
    return {
        "tokens": list(user.api_tokens.order_by("-created_at", "-id")[:50]),
        "token_form": form or TokenForm(moderator=can_moderate(user)),
    }


@never_cache
@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = TokenForm(request.POST, moderator=can_moderate(user))
    if form.is_valid():
        try:
            token, secret = token_create(
                user=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as denied:
            form.add_error("scopes", str(denied))
        else:
            # Shown once, on this answer only (never stored, never in a message or a log).
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/token_form.html", tokens_section(request, form), status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=user_of(request))
    revoke(token=token, actor=user_of(request))
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("accounts:settings")
