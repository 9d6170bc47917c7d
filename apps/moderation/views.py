"""The moderators' interface: the queue, the review page and the two decisions."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.wiki import services
from apps.wiki.models import Revision
from apps.wiki.permissions import can_moderate

from .diff import citation_diff, text_diff, uncited_statements
from .forms import RejectForm

PAGE_SIZE = 50
CONFLICT = 409


def moderator_required(view):
    """Anonymous users are sent to log in; signed-in users without the permission get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            raise PermissionDenied("Only moderators can review proposals.")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@moderator_required
def queue(request):
    page = Paginator(Revision.objects.for_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {"page": page})


def _review_context(revision, *, reject_form=None):
    article = revision.article
    current = article.approved_revision
    old_citations = list(current.citations.select_related("source")) if current else []
    new_citations = list(revision.citations.select_related("source"))
    changes = citation_diff(old_citations, new_citations)
    return {
        "revision": revision,
        "article": article,
        "current": current,
        "is_stale": revision.is_pending and revision.is_stale,
        "is_own": False,
        "text_diff": text_diff(current.body if current else "", revision.body),
        "uncited": uncited_statements(current, revision),
        "citation_changes": [c for c in changes if c.kind != "same"],
        "citations_unchanged": [c for c in changes if c.kind == "same"],
        "reject_form": reject_form or RejectForm(),
    }


def _get_revision(pk):
    return get_object_or_404(
        Revision.objects.select_related(
            "article__episode__season__show", "article__approved_revision", "author", "decided_by"
        ),
        pk=pk,
    )


def _render_review(request, revision, *, status=200, **kwargs):
    context = _review_context(revision, **kwargs)
    context["is_own"] = revision.author_id == request.user.pk
    return render(request, "moderation/review.html", context, status=status)


@require_GET
@moderator_required
def review(request, pk):
    return _render_review(request, _get_revision(pk))


@require_POST
@moderator_required
def approve(request, pk):
    revision = _get_revision(pk)
    try:
        services.revision_approve(revision=revision, moderator=request.user)
    except services.WikiConflict as conflict:
        messages.error(request, conflict.message)
        return _render_review(request, _get_revision(pk), status=CONFLICT)
    messages.success(request, f"Approved: readers now see this text of “{revision.article}”.")
    return redirect("moderation:queue")


@require_POST
@moderator_required
def reject(request, pk):
    revision = _get_revision(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_review(request, revision, status=400, reject_form=form)
    try:
        services.revision_reject(
            revision=revision, moderator=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        form.add_error("reason", error.messages[0])
        return _render_review(request, revision, status=400, reject_form=form)
    except services.WikiConflict as conflict:
        messages.error(request, conflict.message)
        return _render_review(request, _get_revision(pk), status=CONFLICT, reject_form=form)
    messages.success(
        request, f"Rejected the proposal for “{revision.article}”; the author sees why."
    )
    return redirect("moderation:queue")
