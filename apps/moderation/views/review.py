"""The moderators' interface: the queue, the review page and the decisions.

Each decision view calls one service. A refused form comes back with what was
typed (400); a decision the current state forbids shows the review page again
with why (409), through apps.web.refusals.
"""

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.models import User
from apps.catalog.codes import parse_episode_code
from apps.markup import drop_external_images
from apps.web.refusals import BAD_REQUEST, CONFLICT, Conflict, add_errors, message_of
from apps.web.requests import user_of
from apps.wiki.diff import citation_diff, text_diff, uncited_statements
from apps.wiki.merging import Cited, cited_of, merge_revisions
from apps.wiki.models import Article, Citation, Revision, RevisionStatus
from apps.wiki.policy import effective_protection, is_trusted
from apps.wiki.revising import is_open_for_review

from .. import services
from ..access import moderator_required
from ..forms import (
    AGES,
    ApprovePartForm,
    ProtectForm,
    QueueFilterForm,
    RejectForm,
    RequestChangesForm,
    RevertForm,
    TrustForm,
)
from ..hunks import split
from ..models import ProtectionChange, ReviewClaim
from ..queue import queue_rows
from ..threads import open_count, place_threads, threads_of

PAGE_SIZE = 50


def _filtered_queue(form: QueueFilterForm) -> QuerySet[Revision]:
    revisions = Revision.objects.for_queue()
    if not form.is_valid():
        return revisions
    data = form.cleaned_data
    if data.get("show"):
        revisions = revisions.filter(article__episode__season__show=data["show"])
    code = parse_episode_code(data.get("episode") or "")
    if code:
        revisions = revisions.filter(
            article__episode__season__number=code[0], article__episode__number=code[1]
        )
    if data.get("author"):
        revisions = revisions.filter(author__username__iexact=data["author"].strip())
    if data.get("kind"):
        revisions = revisions.filter(base__isnull=data["kind"] == "new")
    if data.get("age"):
        revisions = revisions.filter(
            created_at__lte=timezone.now() - timedelta(hours=AGES[data["age"]])
        )
    if data.get("sort") == "newest":
        revisions = revisions.order_by("-created_at", "-id")
    return revisions


@require_safe
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    page = Paginator(_filtered_queue(form), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queue_rows(
        cast(QuerySet[Revision], page.object_list),  # a slice of the queryset above
        user_id=user_of(request).pk,
        now=timezone.now(),
    )
    active = form.active_count()
    # Only for "nothing matches": how many wait in all, so the moderator knows to clear.
    waiting = Revision.objects.pending().count() if active and not rows else None
    return render(
        request,
        "moderation/queue.html",
        {"page": page, "rows": rows, "filters": form, "active": active, "waiting": waiting},
    )


def _active_claim(revision: Revision) -> ReviewClaim | None:
    claim = ReviewClaim.objects.select_related("moderator").filter(revision=revision).first()
    return claim if claim and claim.expires_at > timezone.now() else None


def _part_form(
    request: HttpRequest,
    revision: Revision,
    *,
    data: QueryDict | None = None,
    current_citations: list[Citation] | None = None,
    proposal_citations: list[Citation] | None = None,
) -> ApprovePartForm | None:
    """The form for approving part of an edit: only when it has two changes or more.

    The review page passes the citations it has loaded already: the current text's
    are the base's unless the proposal is stale.
    """
    if not revision.is_pending or revision.base is None or revision.author_id == request.user.pk:
        return None
    if current_citations is not None and not revision.is_stale:
        base = Cited(revision.base.body, {c.key: c for c in current_citations})
    else:
        base = cited_of(revision.base)
    proposal = (
        Cited(revision.body, {c.key: c for c in proposal_citations})
        if proposal_citations is not None
        else cited_of(revision)
    )
    hunks = split(base, proposal)
    return ApprovePartForm(data, hunks=hunks) if len(hunks) > 1 else None


def _review_context(
    request: HttpRequest,
    revision: Revision,
    *,
    reject_form: RejectForm | None = None,
    request_form: RequestChangesForm | None = None,
    part_form: ApprovePartForm | None = None,
) -> dict[str, Any]:
    article = revision.article
    current = article.approved_revision
    old_citations = list(current.citations.select_related("source")) if current else []
    new_citations = list(revision.citations.select_related("source"))
    changes = citation_diff(old_citations, new_citations)
    is_stale = revision.is_pending and revision.is_stale
    merged = merge_revisions(revision.base, current, revision) if is_stale and current else None
    threads = threads_of(revision)
    rows, conversation = place_threads(
        text_diff(current.body if current else "", revision.body), threads
    )
    is_open = is_open_for_review(revision)
    return {
        "threads": conversation,
        "open_threads": open_count(threads),
        "placed_elsewhere": len(conversation) < len(threads),
        "is_open": is_open,
        "comment_url": reverse("moderation:thread-new", args=[revision.pk]) if is_open else "",
        "request_form": request_form or RequestChangesForm(),
        "part_form": part_form
        or _part_form(
            request, revision, current_citations=old_citations, proposal_citations=new_citations
        ),
        "revision": revision,
        # Stored HTML from the one renderer, less images from elsewhere in old text.
        "revision_html": drop_external_images(revision.rendered_html),
        "article": article,
        "current": current,
        "is_stale": is_stale,
        "merged": merged,
        "merged_diff": text_diff(current.body, merged.body) if merged and current else None,
        "is_own": revision.author_id == request.user.pk,
        "claim": _active_claim(revision) if revision.is_pending else None,
        "side": request.GET.get("view") == "side",
        "text_diff": rows,
        "uncited": uncited_statements(current, revision),
        "citation_changes": [c for c in changes if c.kind != "same"],
        "citations_unchanged": [c for c in changes if c.kind == "same"],
        "reject_form": reject_form or RejectForm(),
        "author_trusted": is_trusted(revision.author),
        "trust_form": TrustForm(prefix="trust", initial={"trust": revision.author.trust}),
        "revised": revision.revises,
    }


def _get_revision(pk: int) -> Revision:
    revision: Revision = get_object_or_404(
        Revision.objects.select_related(
            "article__episode__season__show",
            "article__approved_revision",
            "author",
            "decided_by",
            "base",
            "revises",
        ),
        pk=pk,
    )
    return revision


def _render_review(
    request: HttpRequest, revision: Revision, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _review_context(request, revision, **forms)
    return render(request, "moderation/review.html", context, status=status)


def _refused(
    request: HttpRequest,
    pk: int,
    refusal: Conflict | ValidationError,
    *,
    form: forms.BaseForm | None = None,
    form_name: str | None = None,
) -> HttpResponse:
    """The review page again: a refused form with what was typed (400), or why the
    decision cannot happen now (409)."""
    revision = _get_revision(pk)
    named = {form_name: form} if form_name else {}
    if isinstance(refusal, ValidationError) and form is not None:
        add_errors(form, refusal)
        return _render_review(request, revision, status=BAD_REQUEST, **named)
    messages.error(request, message_of(refusal))
    return _render_review(request, revision, status=CONFLICT, **named)


@require_safe
@moderator_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, _get_revision(pk))


@require_POST
@moderator_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get_revision(pk)
    try:
        services.revision_approve(revision=revision, moderator=user_of(request))
    except Conflict as conflict:
        return _refused(request, pk, conflict)
    messages.success(request, f"Approved: readers now see this text of “{revision.article}”.")
    return redirect("moderation:queue")


@require_POST
@moderator_required
def approve_merged(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get_revision(pk)
    try:
        carried = services.revision_approve_merged(revision=revision, moderator=user_of(request))
    except (Conflict, ValidationError) as refusal:
        return _refused(request, pk, refusal)
    messages.success(
        request,
        f"Approved the merged text as version #{carried.pk}, credited to {carried.author}.",
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get_revision(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_review(request, revision, status=BAD_REQUEST, reject_form=form)
    try:
        services.revision_reject(
            revision=revision,
            moderator=user_of(request),
            reason=form.cleaned_data["reason"],
            reason_code=form.cleaned_data["reason_code"],
        )
    except (Conflict, ValidationError) as refusal:
        return _refused(request, pk, refusal, form=form, form_name="reject_form")
    messages.success(
        request, f"Rejected the proposal for “{revision.article}”; the author sees why."
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def approve_part(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get_revision(pk)
    form = _part_form(request, revision, data=request.POST)
    if form is None:
        return _refused(
            request, pk, Conflict("This proposal cannot be approved in part: decide it whole.")
        )
    if not form.is_valid():
        return _render_review(request, revision, status=BAD_REQUEST, part_form=form)
    try:
        published = services.revision_approve_part(
            revision=revision,
            moderator=user_of(request),
            accepted=form.accepted(),
            reasons=form.reasons(),
            rest=form.cleaned_data["rest"],
        )
    except (Conflict, ValidationError) as refusal:
        return _refused(request, pk, refusal, form=form, form_name="part_form")
    messages.success(
        request,
        f"Published the ticked changes as version #{published.pk}, credited to "
        f"{published.author}; the author has your reasons for the rest.",
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get_revision(pk)
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        return _render_review(request, revision, status=BAD_REQUEST, request_form=form)
    try:
        services.revision_request_changes(
            revision=revision, moderator=user_of(request), reason=form.cleaned_data["reason"]
        )
    except (Conflict, ValidationError) as refusal:
        return _refused(request, pk, refusal, form=form, form_name="request_form")
    messages.success(
        request,
        f"Sent back to {revision.author} for changes, with the open comments; "
        "their revised proposal comes back to the queue.",
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get_revision(pk)
    try:
        services.review_claim(revision=revision, moderator=user_of(request))
    except Conflict as conflict:
        return _refused(request, pk, conflict)
    messages.success(request, "You are reviewing this proposal; other moderators see that.")
    return redirect("moderation:review", pk=pk)


@require_POST
@moderator_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get_revision(pk)
    try:
        services.review_release(revision=revision, moderator=user_of(request))
    except Conflict as conflict:
        return _refused(request, pk, conflict)
    messages.success(request, "Released: another moderator can take this proposal.")
    return redirect("moderation:queue")


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
                :PAGE_SIZE
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
        messages.error(request, "Say why the article is reverted.")
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
