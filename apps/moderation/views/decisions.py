"""The decisions on a proposal, posted from its review page.

Each view calls one service. A refused form comes back with what was typed (400);
a decision the current state forbids shows the review page again with why (409),
through apps.web.refusals.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.web.refusals import BAD_REQUEST, Conflict
from apps.web.requests import user_of

from .. import services
from ..access import moderator_required
from ..forms import RejectForm, RequestChangesForm
from .review import approve_part_form, get_revision, refused, render_review


@require_POST
@moderator_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision(pk)
    try:
        services.revision_approve(revision=revision, moderator=user_of(request))
    except Conflict as conflict:
        return refused(request, pk, conflict)
    messages.success(request, f"Approved: readers now see this text of “{revision.article}”.")
    return redirect("moderation:queue")


@require_POST
@moderator_required
def approve_merged(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision(pk)
    try:
        carried = services.revision_approve_merged(revision=revision, moderator=user_of(request))
    except (Conflict, ValidationError) as refusal:
        return refused(request, pk, refusal)
    messages.success(
        request,
        f"Approved the merged text as version #{carried.pk}, credited to {carried.author}.",
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render_review(request, revision, status=BAD_REQUEST, reject_form=form)
    try:
        services.revision_reject(
            revision=revision,
            moderator=user_of(request),
            reason=form.cleaned_data["reason"],
            reason_code=form.cleaned_data["reason_code"],
        )
    except (Conflict, ValidationError) as refusal:
        return refused(request, pk, refusal, reject_form=form)
    messages.success(
        request, f"Rejected the proposal for “{revision.article}”; the author sees why."
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def approve_part(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision(pk)
    form = approve_part_form(request, revision, data=request.POST)
    if form is None:
        return refused(
            request, pk, Conflict("This proposal cannot be approved in part: decide it whole.")
        )
    if not form.is_valid():
        return render_review(request, revision, status=BAD_REQUEST, part_form=form)
    try:
        published = services.revision_approve_part(
            revision=revision,
            moderator=user_of(request),
            accepted=form.accepted(),
            reasons=form.reasons(),
            rest=form.cleaned_data["rest"],
        )
    except (Conflict, ValidationError) as refusal:
        return refused(request, pk, refusal, part_form=form)
    messages.success(
        request,
        f"Published the ticked changes as version #{published.pk}, credited to "
        f"{published.author}; the author has your reasons for the rest.",
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision(pk)
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        return render_review(request, revision, status=BAD_REQUEST, request_form=form)
    try:
        services.revision_request_changes(
            revision=revision, moderator=user_of(request), reason=form.cleaned_data["reason"]
        )
    except (Conflict, ValidationError) as refusal:
        return refused(request, pk, refusal, request_form=form)
    messages.success(
        request,
        f"Sent back to {revision.author} for changes, with the open comments; "
        "their revised proposal comes back to the queue.",
    )
    return redirect("moderation:queue")


@require_POST
@moderator_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision(pk)
    try:
        services.review_claim(revision=revision, moderator=user_of(request))
    except Conflict as conflict:
        return refused(request, pk, conflict)
    messages.success(request, "You are reviewing this proposal; other moderators see that.")
    return redirect("moderation:review", pk=pk)


@require_POST
@moderator_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_revision(pk)
    try:
        services.review_release(revision=revision, moderator=user_of(request))
    except Conflict as conflict:
        return refused(request, pk, conflict)
    messages.success(request, "Released: another moderator can take this proposal.")
    return redirect("moderation:queue")
