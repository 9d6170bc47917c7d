"""Review threads, for moderators and for the proposal's author alike.

Each page finds the proposal with the one visibility rule
(permissions.can_discuss_proposal: anyone else gets a 404, as for a proposal
they cannot see), validates a form and calls one service. A refused form comes
back with what was typed; a change that can no longer happen is a 409.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import User
from apps.web.params import id_value, int_param
from apps.web.refusals import BAD_REQUEST, CONFLICT, Conflict, add_errors
from apps.web.requests import user_of
from apps.wiki.models import Revision
from apps.wiki.revising import is_open_for_review

from .. import services
from ..anchors import lines_of
from ..forms import CommentFields, ThreadForm
from ..models import Anchor, ReviewThread, Side
from ..permissions import can_discuss_proposal


def _proposal_for(user: User, pk: int) -> Revision:
    revision: Revision = get_object_or_404(
        Revision.objects.select_related("article__approved_revision", "author"), pk=pk
    )
    if not can_discuss_proposal(user, revision):
        raise Http404("No such proposal.")
    return revision


def _thread_for(user: User, pk: int) -> ReviewThread:
    thread: ReviewThread = get_object_or_404(
        ReviewThread.objects.select_related(
            "revision__article__approved_revision", "revision__author", "created_by"
        ),
        pk=pk,
    )
    if not can_discuss_proposal(user, thread.revision):
        raise Http404("No such thread.")
    return thread


def where_to_go_back(user: User, revision: Revision) -> str:
    """The author follows the conversation on their proposal's page, moderators on the
    review page."""
    if revision.author_id == user.pk:
        return revision.get_absolute_url()
    return reverse("moderation:review", args=[revision.pk])


def _context_lines(revision: Revision, side: str, start: int | None, end: int | None) -> str:
    if not start:
        return ""
    current = revision.article.approved_revision
    text = revision.body if side == Side.NEW else (current.body if current else "")
    return lines_of(text, start, end or start) or ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a thread; the review page's line links open this with the line filled in."""
    user = user_of(request)
    revision = _proposal_for(user, pk)
    if request.method == "POST":
        form = ThreadForm(request.POST)
    else:
        line = int_param(request, "line")
        key = int_param(request, "citation")
        side = str(request.GET.get("side")) if request.GET.get("side") in Side.values else Side.NEW
        anchor = Anchor.LINES if line else Anchor.CITATION if key else Anchor.PROPOSAL
        form = ThreadForm(
            initial={
                "anchor": anchor,
                "side": side if line else "",
                "line_start": line,
                "line_end": line,
                "citation_key": key,
                # The moderator edits the line into what it should say, rather than retype it.
                "suggestion": _context_lines(revision, side, line, line) if line else "",
            }
        )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_start(
                revision=revision,
                user=user,
                body=data["body"],
                acknowledged=data.get("acknowledged") or "",
                anchor=data["anchor"],
                side=data.get("side") or "",
                line_start=data.get("line_start"),
                line_end=data.get("line_end") or data.get("line_start"),
                quote=data.get("quote") or "",
                citation_key=data.get("citation_key"),
                suggestion=form.suggestion_value(
                    data.get("quote") or "",
                    _context_lines(
                        revision,
                        data.get("side") or Side.NEW,
                        data.get("line_start"),
                        data.get("line_end") or data.get("line_start"),
                    ),
                )
                if data["anchor"] == Anchor.LINES
                else None,
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:
            messages.error(request, conflict.message)
            status = CONFLICT
        else:
            messages.success(request, "Comment posted.")
            return redirect(f"{where_to_go_back(user, revision)}#thread-{thread.pk}")
    if request.method == "POST" and status == 200:
        status = BAD_REQUEST
    values = form.data if form.is_bound else form.initial
    anchor = values.get("anchor") or Anchor.PROPOSAL
    side = values.get("side") or Side.NEW

    def number(name: str) -> int | None:
        return id_value(str(values.get(name) or ""))

    context_lines = (
        _context_lines(revision, side, number("line_start"), number("line_end"))
        if anchor == Anchor.LINES
        else ""
    )
    return render(
        request,
        "moderation/thread_new.html",
        {
            "revision": revision,
            "article": revision.article,
            "form": form,
            "anchor": anchor,
            "side": side,
            "context_lines": context_lines,
            "citation_key": number("citation_key"),
            "back": where_to_go_back(user, revision),
            "is_open": is_open_for_review(revision),
        },
        status=status,
    )


@login_required
@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    thread = _thread_for(user, pk)
    form = CommentFields(request.POST)
    status = BAD_REQUEST
    if form.is_valid():
        try:
            comment = services.thread_reply(
                thread=thread,
                user=user,
                body=form.cleaned_data["body"],
                suggestion=form.suggestion_value(thread.quote or "", thread.anchor_text or ""),
                acknowledged=form.cleaned_data.get("acknowledged") or "",
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:
            messages.error(request, conflict.message)
            status = CONFLICT
        else:
            messages.success(request, "Reply posted.")
            back = where_to_go_back(user, thread.revision)
            return redirect(f"{back}#comment-{comment.pk}")
    return render(
        request,
        "moderation/thread_reply.html",
        {
            "thread": thread,
            "revision": thread.revision,
            "article": thread.revision.article,
            "form": form,
            "back": where_to_go_back(user, thread.revision),
        },
        status=status,
    )


def _resolution(request: HttpRequest, pk: int, *, resolved: bool) -> HttpResponse:
    user = user_of(request)
    thread = _thread_for(user, pk)
    back = where_to_go_back(user, thread.revision)
    try:
        services.thread_resolve(thread=thread, user=user, resolved=resolved)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, "Thread resolved." if resolved else "Thread reopened.")
    return redirect(f"{back}#thread-{thread.pk}")


@login_required
@require_POST
def thread_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _resolution(request, pk, resolved=True)


@login_required
@require_POST
def thread_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _resolution(request, pk, resolved=False)
