"""The moderators' queue and the review page (the decisions it posts to are in decisions)."""

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.catalog.codes import parse_episode_code
from apps.catalog.models import Show
from apps.markup import drop_external_images
from apps.web.refusals import BAD_REQUEST, CONFLICT, Conflict, add_errors, message_of
from apps.web.requests import user_of
from apps.wiki.diff import citation_diff, text_diff, uncited_statements
from apps.wiki.merging import Cited, cited_of, merge_revisions
from apps.wiki.models import Citation, Revision
from apps.wiki.naming import Names, taken_over
from apps.wiki.naming import changes as name_changes
from apps.wiki.policy import is_trusted
from apps.wiki.revising import is_open_for_review

from ..access import moderator_required
from ..context_processors import known as known_pending
from ..forms import (
    AGES,
    ApprovePartForm,
    QueueFilterForm,
    RejectForm,
    RequestChangesForm,
    TrustForm,
)
from ..hunks import split
from ..models import ReviewClaim
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
    if data.get("bots"):
        revisions = revisions.filter(author__is_bot=data["bots"] == "only")
    if data.get("tag"):
        revisions = revisions.filter(tags__tag=data["tag"].strip())
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
    if not active:
        known_pending(request, page.paginator.count)  # the header's count: the same number
    # Only for "nothing matches": how many wait in all, so the moderator knows to clear.
    waiting = Revision.objects.pending().count() if active and not rows else None
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": _filters_html(form, bound=bool(request.GET)),
            "active": active,
            "waiting": waiting,
        },
    )


_UNFILTERED: dict[tuple[tuple[str, str], ...], str] = {}


def _filters_html(form: QueueFilterForm, *, bound: bool) -> str:
    """The filters' fields. Nothing chosen, they are the same for every moderator while
    the shows stay the same: made once per process and list of shows (the widgets'
    templates took a sixth of the page)."""
    if bound:
        return render_to_string("moderation/includes/queue_filters.html", {"filters": form})
    shows = tuple(Show.objects.order_by("title").values_list("slug", "title"))
    html = _UNFILTERED.get(shows)
    if html is None:
        html = render_to_string("moderation/includes/queue_filters.html", {"filters": form})
        _UNFILTERED.clear()
        _UNFILTERED[shows] = html
    return html


def _active_claim(revision: Revision) -> ReviewClaim | None:
    claim = ReviewClaim.objects.select_related("moderator").filter(revision=revision).first()
    return claim if claim and claim.expires_at > timezone.now() else None


def approve_part_form(
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
    names = Names.of(revision)
    # A decision's form refused with what was typed shows inline, not folded away.
    refused = (
        "reject"
        if reject_form is not None and reject_form.errors
        else "request"
        if request_form is not None and request_form.errors
        else ""
    )
    return {
        "refused": refused,
        # The texts a line comment is on, line by line as the comment's lines count them:
        # the review page's script fills the suggestion box from them.
        "comment_lines": {
            "new": revision.body.splitlines(),
            "old": current.body.splitlines() if current else [],
        }
        if is_open
        else None,
        "threads": conversation,
        "open_threads": open_count(threads),
        "placed_elsewhere": len(conversation) < len(threads),
        "is_open": is_open,
        "comment_url": reverse("moderation:thread-new", args=[revision.pk]) if is_open else "",
        "request_form": request_form or RequestChangesForm(),
        "part_form": part_form
        or approve_part_form(
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
        # What the proposal changes of the names it was written on (a stale one's changes
        # are carried onto newer names by the merge, as its text's are).
        "name_changes": name_changes(revision),
        "takes_over": taken_over(
            article=article,
            names=names,
            before=Names.of(revision.base) if revision.base is not None else None,
        )
        if revision.is_pending
        else [],
    }


def get_revision(pk: int) -> Revision:
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


def render_review(
    request: HttpRequest, revision: Revision, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _review_context(request, revision, **forms)
    return render(request, "moderation/review.html", context, status=status)


def refused(
    request: HttpRequest, pk: int, refusal: Conflict | ValidationError, **form: forms.BaseForm
) -> HttpResponse:
    """The review page again: the refused form (at most one, by its name on the page:
    ``reject_form=form``) with what was typed (400), or why the decision cannot happen
    now (409)."""
    revision = get_revision(pk)
    if isinstance(refusal, ValidationError) and form:
        for each in form.values():
            add_errors(each, refusal)
        return render_review(request, revision, status=BAD_REQUEST, **form)
    messages.error(request, message_of(refusal))
    return render_review(request, revision, status=CONFLICT, **form)


@require_safe
@moderator_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return render_review(request, get_revision(pk))
