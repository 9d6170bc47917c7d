"""Moderators' housekeeping pages: a fan's trust, an article's protection, reverting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import User
from apps.web.refusals import BAD_REQUEST, Conflict, add_errors, message_of
from apps.web.requests import user_of
from apps.wiki.models import Article, Revision, RevisionStatus
from apps.wiki.policy import effective_protection

from .. import services
from ..access import moderator_required
from ..forms import ProtectForm, RevertForm, TrustForm
from ..models import ProtectionChange

CHANGES_SHOWN = 50  # protection changes listed on an article's page


def _back_to(request: HttpRequest, default: str) -> HttpResponse:
    """Where the form asked to go back to (a path on this site), or ``default``."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


@require_POST
@moderator_required
def set_trust(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username)
    form = TrustForm(request.POST, prefix="trust")
    if form.is_valid():
        try:
            services.user_set_trust(
                user=user,
                trust=form.cleaned_data["trust"],
                moderator=user_of(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{user}: {user.get_trust_display().lower()}.")
    if form.errors:
        problems = [
            f"{form[name].label if name in form.fields else 'Trust'}: {' '.join(map(str, errors))}"
            for name, errors in form.errors.items()
        ]
        messages.error(request, "Trust not changed. " + " ".join(problems))
    return _back_to(request, "moderation:queue")


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def article_tools(request: HttpRequest, slug: str) -> HttpResponse:
    """Protection of an article, for moderators, with the history of its changes."""
    article = get_object_or_404(Article, slug=slug)
    form = ProtectForm(
        request.POST or None,
        initial={"level": article.protection, "expires_at": article.protection_expires_at},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.article_protect(
                article=article,
                level=form.cleaned_data["level"],
                expires_at=form.cleaned_data["expires_at"],
                reason=form.cleaned_data["reason"],
                moderator=user_of(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Protection saved.")
            return redirect("moderation:article", slug=slug)
    return render(
        request,
        "moderation/article.html",
        {
            "article": article,
            "form": form,
            "effective": effective_protection(article),
            "pending": article.revisions.pending().select_related("author"),
            "changes": ProtectionChange.objects.filter(article=article).select_related("actor")[
                :CHANGES_SHOWN
            ],
        },
        status=BAD_REQUEST if request.method == "POST" else 200,
    )


@require_POST
@moderator_required
def revert(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    target = get_object_or_404(Revision, pk=pk, article=article, status=RevisionStatus.APPROVED)
    form = RevertForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"Not restored. {problems}")
        return redirect(target)
    try:
        restored = services.revision_revert(
            article=article,
            to=target,
            moderator=user_of(request),
            reason=form.cleaned_data["reason"],
        )
    except (Conflict, ValidationError) as refusal:
        messages.error(request, message_of(refusal))
        return redirect(target)
    messages.success(request, f"Restored version #{target.pk} as the new version #{restored.pk}.")
    return redirect(article)
