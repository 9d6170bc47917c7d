"""Moderating over the API (tokens with the moderate scope, held by moderators): the
queue, a proposal's review data, the decisions and claims — the site's services, locks
and forms, so a decision made twice at once is made once."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router

from apps.moderation import services
from apps.moderation.forms import ApprovePartForm, RejectForm, RequestChangesForm
from apps.moderation.hunks import split
from apps.moderation.models import ReviewClaim
from apps.wiki.diff import uncited_statements
from apps.wiki.merging import cited_of
from apps.wiki.models import Revision, Statement

from .. import present, schemas
from ..access import require, signed_in
from ..pagination import paginate
from ..problems import Problem, field_error, validation_errors
from .read import CURSOR, LIMIT

router = Router(tags=["Moderating"], auth=signed_in)
PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409, 422, 429), schemas.ProblemOut)


def _proposal(pk: int) -> Revision:
    revision: Revision = get_object_or_404(
        Revision.objects.select_related(
            "article__episode__season__show", "article__approved_revision", "author",
            "decided_by", "base",
        ),
        pk=pk,
    )  # fmt: skip
    return revision


def _claimer(revision: Revision) -> tuple[str | None, Any]:
    claim = (
        ReviewClaim.objects.filter(revision=revision, expires_at__gt=timezone.now())
        .select_related("moderator")
        .first()
    )
    return (claim.moderator.username, claim.expires_at) if claim else (None, None)


@router.get("/moderation/queue", response={200: schemas.QueuePage, **PROBLEMS})
def queue(
    request: HttpRequest,
    bots: bool = Query(True, description="false leaves out bots' proposals."),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """Proposals awaiting review, the longest waiting first (moderators only)."""
    require(request, "moderate")
    pending = Revision.objects.pending().select_related(
        "article__episode__season__show", "article", "author", "decided_by"
    ).defer("body", "rendered_html")  # fmt: skip
    if not bots:
        pending = pending.filter(author__is_bot=False)
    pending = pending.prefetch_related(
        Prefetch("claim", queryset=ReviewClaim.objects.select_related("moderator"))
    )
    page = paginate(pending, order=("created_at", "id"), cursor=cursor, limit=limit)
    now = timezone.now()
    items = []
    for revision in page.items:
        claim = getattr(revision, "claim", None)
        items.append(
            {
                "revision": present.revision_ref(revision, reveal=True),
                "article": present.article_ref(revision.article),
                "stale": revision.base_id != revision.article.approved_revision_id,
                "claimed_by": claim.moderator.username
                if claim is not None and claim.expires_at > now
                else None,
            }
        )
    return {"items": items, "next_cursor": page.next_cursor}


@router.get("/moderation/proposals/{revision_id}", response={200: schemas.ReviewOut, **PROBLEMS})
def review(request: HttpRequest, revision_id: int):
    """What the review page shows of a proposal: its text, the diff against the version
    it was written on, the citations changed, statements left uncited, its hunks (the
    changes that can be approved one by one) and who has claimed it."""
    require(request, "moderate")
    revision = _proposal(revision_id)
    current = revision.article.approved_revision
    statements: Any = Prefetch("statements", queryset=Statement.objects.order_by("position"))
    compared = revision.base
    hunks = []
    if revision.is_pending and revision.base is not None:
        hunks = [
            {"index": h.number, "kind": h.kind, "old": "\n".join(h.old_lines),
             "new": "\n".join(h.new_lines)}
            for h in split(cited_of(revision.base), cited_of(revision))
        ]  # fmt: skip
    uncited = []
    if current is not None:
        current_full = Revision.objects.prefetch_related(statements).get(pk=current.pk)
        proposal_full = Revision.objects.prefetch_related(statements).get(pk=revision.pk)
        uncited = uncited_statements(current_full, proposal_full)
    claimed_by, _until = _claimer(revision)
    return {
        "revision": present.revision_out(revision, reveal=True, private=True),
        "current_revision_id": current.pk if current else None,
        **present.comparison(compared, revision),
        "uncited_statements": uncited,
        "hunks": hunks,
        "claimed_by": claimed_by,
    }


def _decided(revision: Revision, published: Revision | None = None) -> dict:
    revision.refresh_from_db(fields=["status"])
    return {
        "revision_id": revision.pk,
        "status": revision.status,
        "published_revision_id": published.pk if published is not None else None,
    }


def _invalid(error: ValidationError) -> Problem:
    return Problem("invalid", " ".join(error.messages), errors=validation_errors(error))


def _form_problem(form) -> Problem:
    errors = []
    for field, messages in form.errors.items():
        errors += [field_error([] if field == "__all__" else [field], m) for m in messages]
    return Problem("invalid", "The decision was not made: see errors.", errors=errors)


@router.post("/moderation/proposals/{revision_id}/approve",
             response={200: schemas.DecisionOut, **PROBLEMS})  # fmt: skip
def approve(request: HttpRequest, revision_id: int):
    """Publish the proposal as written (409 if it is stale or no longer pending)."""
    moderator = require(request, "moderate")
    revision = _proposal(revision_id)
    services.revision_approve(revision=revision, moderator=moderator)
    return _decided(revision, revision)


@router.post("/moderation/proposals/{revision_id}/approve-merged",
             response={200: schemas.DecisionOut, **PROBLEMS})  # fmt: skip
def approve_merged(request: HttpRequest, revision_id: int):
    """Publish a stale proposal carried onto the current text (409 on a conflict)."""
    moderator = require(request, "moderate")
    revision = _proposal(revision_id)
    try:
        carried = services.revision_approve_merged(revision=revision, moderator=moderator)
    except ValidationError as error:
        raise _invalid(error) from error
    return _decided(revision, carried)


@router.post("/moderation/proposals/{revision_id}/reject",
             response={200: schemas.DecisionOut, **PROBLEMS})  # fmt: skip
def reject(request: HttpRequest, revision_id: int, payload: schemas.RejectIn):
    """Turn the proposal down with a reason the author sees."""
    moderator = require(request, "moderate")
    revision = _proposal(revision_id)
    form = RejectForm({"reason": payload.reason, "reason_code": payload.reason_code})
    if not form.is_valid():
        raise _form_problem(form)
    try:
        services.revision_reject(
            revision=revision,
            moderator=moderator,
            reason=form.cleaned_data["reason"],
            reason_code=form.cleaned_data["reason_code"],
        )
    except ValidationError as error:
        raise _invalid(error) from error
    return _decided(revision)


@router.post("/moderation/proposals/{revision_id}/request-changes",
             response={200: schemas.DecisionOut, **PROBLEMS})  # fmt: skip
def request_changes(request: HttpRequest, revision_id: int, payload: schemas.ReasonIn):
    """Send the proposal back to its author with what should change."""
    moderator = require(request, "moderate")
    revision = _proposal(revision_id)
    form = RequestChangesForm({"reason": payload.reason})
    if not form.is_valid():
        raise _form_problem(form)
    try:
        services.revision_request_changes(
            revision=revision, moderator=moderator, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        raise _invalid(error) from error
    return _decided(revision)


@router.post("/moderation/proposals/{revision_id}/approve-part",
             response={200: schemas.DecisionOut, **PROBLEMS})  # fmt: skip
def approve_part(request: HttpRequest, revision_id: int, payload: schemas.ApprovePartIn):
    """Publish some of the proposal's hunks (by index, as the review data lists them);
    each one left out needs a reason. ``rest``: return (to the author) or decline."""
    moderator = require(request, "moderate")
    revision = _proposal(revision_id)
    if not revision.is_pending or revision.base is None:
        raise Problem("conflict", "This proposal cannot be approved in part: decide it whole.")
    hunks = split(cited_of(revision.base), cited_of(revision))
    known = {hunk.number for hunk in hunks}
    unknown = sorted(set(payload.accepted) - known)
    if unknown or len(hunks) < 2:
        raise Problem(
            "invalid" if unknown else "conflict",
            f"Unknown change: {unknown}." if unknown
            else "This proposal has one change: approve it or turn it down.",
        )  # fmt: skip
    data = {"rest": payload.rest or "return"}
    for hunk in hunks:
        if hunk.number in payload.accepted:
            data[f"accept_{hunk.number}"] = "on"
        data[f"reason_{hunk.number}"] = payload.reasons.get(str(hunk.number), "")
    form = ApprovePartForm(data, hunks=hunks)
    if not form.is_valid():
        raise _form_problem(form)
    try:
        published = services.revision_approve_part(
            revision=revision,
            moderator=moderator,
            accepted=form.accepted(),
            reasons=form.reasons(),
            rest=form.cleaned_data["rest"],
        )
    except ValidationError as error:
        raise _invalid(error) from error
    return _decided(revision, published)


@router.post("/moderation/proposals/{revision_id}/claim",
             response={200: schemas.ClaimOut, **PROBLEMS})  # fmt: skip
def claim(request: HttpRequest, revision_id: int):
    """Tell other moderators you are reviewing this proposal (for WIKI_CLAIM_MINUTES)."""
    moderator = require(request, "moderate")
    revision = _proposal(revision_id)
    made = services.review_claim(revision=revision, moderator=moderator)
    return {"revision_id": revision.pk, "claimed_by": moderator.username, "until": made.expires_at}


@router.post("/moderation/proposals/{revision_id}/release",
             response={200: schemas.ClaimOut, **PROBLEMS})  # fmt: skip
def release(request: HttpRequest, revision_id: int):
    """Give your claim back."""
    moderator = require(request, "moderate")
    revision = _proposal(revision_id)
    services.review_release(revision=revision, moderator=moderator)
    return {"revision_id": revision.pk, "claimed_by": None, "until": None}
