"""Proposing over the API: the editor's own forms and services, fed JSON instead of a page.

The payload is laid out as the editor's form would post it and validated by the same
forms (ProposalForm or ArticleCreateForm, and the citation formset), then handed to
the same service (revision_propose, article_create): a missing citation, a refused
link, a body past the renderer's limits, a stale base or a protected article are
refused here exactly as they are on the site, with the same messages.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Header, Router, Status

from apps.accounts.models import User
from apps.web.refusals import Flagged
from apps.wiki import services
from apps.wiki.citing import names_of
from apps.wiki.forms import NEW_SOURCE_FIELDS, ArticleCreateForm, CitationFormSet, ProposalForm
from apps.wiki.models import Revision, RevisionStatus
from apps.wiki.naming import Names
from apps.wiki.views.access import sources_visible_to

from .. import present, schemas
from ..access import limit, require, signed_in
from ..problems import Problem, field_error, validation_errors
from .read import _article
from .read import router as read_router

router = Router(tags=["Proposing"], auth=signed_in)
KEY = Header(
    None,
    alias="Idempotency-Key",
    description="A UUID of your choosing: the same proposal sent again with the same key "
    "(a retry after a lost answer) is stored once and answered with the one stored.",
)
PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409, 422, 429), schemas.ProblemOut)
PREFIX = "citations"
# The editor's field names, and the API's.
FIELD_NAMES = {"base_revision": "base_revision_id", "episode": "episode_id", "source": "source_id"}


def _form_data(payload: Any, *, new: bool) -> dict[str, Any]:
    """The payload as the editor's page would post it."""
    data: dict[str, Any] = {
        "body": payload.body,
        "summary": payload.summary,
        "categories": "\n".join(payload.categories or []),
        "aliases": "\n".join(payload.aliases or []),
    }
    if new:
        data["title"] = payload.title
        data["episode"] = payload.episode_id or ""
    else:
        data["base_revision"] = payload.base_revision_id or ""
    citations = payload.citations
    data.update(
        {
            f"{PREFIX}-TOTAL_FORMS": str(len(citations)),
            f"{PREFIX}-INITIAL_FORMS": "0",
            f"{PREFIX}-MIN_NUM_FORMS": "1",
            f"{PREFIX}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, citation in enumerate(citations):
        row = f"{PREFIX}-{index}-"
        data[row + "source"] = citation.source_id or ""
        for name in NEW_SOURCE_FIELDS:
            value = getattr(citation, name)
            data[row + name] = value.isoformat() if hasattr(value, "isoformat") else value or ""
        data[row + "quote"] = citation.quote or ""
        data[row + "locator"] = citation.locator or ""
        # Unnumbered citations take their place in the list: [@1] is the first.
        data[row + "key"] = citation.key if citation.key is not None else index + 1
    return data


def _validated(form, formset) -> None:
    """Raise the forms' errors as one 422 problem, each under the API's field name."""
    form_ok, formset_ok = form.is_valid(), formset.is_valid()
    if form_ok and formset_ok:
        return
    errors = []
    for field, messages in form.errors.items():
        name = FIELD_NAMES.get(field, field)
        errors += [field_error([] if field == "__all__" else [name], m) for m in messages]
    for index, row in enumerate(formset.forms):
        for field, messages in row.errors.items():
            path: list[str | int] = [PREFIX, index]
            if field != "__all__":
                path.append(FIELD_NAMES.get(field, field))
            errors += [field_error(path, m) for m in messages]
    errors += [field_error([PREFIX], m) for m in formset.non_form_errors()]
    raise Problem("invalid", "The proposal was not stored: see errors.", errors=errors)


def _service_names(formset) -> dict[str, str]:
    """The service's "citation-<key>" error fields as the API's citations.<index>."""
    return {
        f"citation-{row.cleaned_data.get('key') or index + 1}": f"{PREFIX}.{index}"
        for index, row in enumerate(formset.forms)
        if getattr(row, "cleaned_data", None)
    }


def _answer(revision: Revision, author: User) -> dict:
    revision.article.refresh_from_db()
    return {
        "revision_id": revision.pk,
        "article": present.article_ref(revision.article),
        "status": revision.status,
        "auto_approved": revision.status == RevisionStatus.APPROVED and revision.automatic,
        "awaits_review": revision.status == RevisionStatus.PENDING,
        "pending_count": Revision.objects.filter(
            author=author, status=RevisionStatus.PENDING
        ).count(),
    }


def _refused(error: Exception, formset) -> Problem:
    """A service's refusal as a problem (a stale base is answered where it can happen)."""
    if isinstance(error, services.TooManyPending):
        return Problem(
            "too-many-pending",
            error.message,
            waiting=error.waiting,
            headers={"Retry-After": "3600"},
        )
    if isinstance(error, services.WikiConflict):
        return Problem("conflict", error.message)
    if isinstance(error, Flagged):
        return Problem("flagged", " ".join(error.messages), acknowledge=error.acknowledge)
    assert isinstance(error, ValidationError)
    errors = validation_errors(error, names={**_service_names(formset), **FIELD_NAMES})
    return Problem("invalid", " ".join(error.messages), errors=errors)


# On the reading router, whose GET /articles shares the address (one router per address).
@read_router.post(
    "/articles", response={201: schemas.ProposalOut, **PROBLEMS}, auth=signed_in,
    tags=["Proposing"],
)  # fmt: skip
def article_create(
    request: HttpRequest, payload: schemas.NewArticleIn, idempotency_key: UUID | None = KEY
):
    """Propose a new article with its first text and citations (token scope: propose)."""
    author = require(request, "propose")
    limit(request, "propose", per_address="propose-per-address")
    data = _form_data(payload, new=True)
    form = ArticleCreateForm(data)
    formset: Any = CitationFormSet(data, prefix=PREFIX, sources=sources_visible_to(author))  # type: ignore[call-arg]
    _validated(form, formset)
    cleaned = form.cleaned_data
    try:
        revision = services.article_create(
            author=author,
            title=cleaned["title"],
            episode=cleaned["episode"],
            body=cleaned["body"],
            summary=cleaned["summary"],
            citations=formset.citation_inputs(),
            categories=cleaned["categories"],
            aliases=cleaned["aliases"],
            submission_key=idempotency_key,
            acknowledged=payload.acknowledged or "",
        )
    except (ValidationError, services.WikiConflict) as error:
        raise _refused(error, formset) from error
    return Status(201, _answer(revision, author))


@router.post("/articles/{key}/proposals", response={201: schemas.ProposalOut, **PROBLEMS})
def article_propose(
    request: HttpRequest, key: str, payload: schemas.EditIn, idempotency_key: UUID | None = KEY
):
    """Propose a new text for an article, written against ``base_revision_id`` (its
    approved version when you read it). A stale base answers 409 with the current
    version's id; trusted authors' edits are published at once (``auto_approved``)."""
    author = require(request, "propose")
    limit(request, "propose", per_address="propose-per-address")
    article = _article(request, key)
    data = _form_data(payload, new=False)
    form = ProposalForm(data)
    formset: Any = CitationFormSet(data, prefix=PREFIX, sources=sources_visible_to(author))  # type: ignore[call-arg]
    _validated(form, formset)
    cleaned = form.cleaned_data
    base = None
    if cleaned.get("base_revision"):
        base = article.revisions.filter(pk=cleaned["base_revision"]).first()
        if base is None:
            message = "The revision you started from does not belong to this article."
            raise Problem("invalid", message, errors=[field_error(["base_revision_id"], message)])
    try:
        kept = names_of(base, article)
        names = Names.typed(
            title=payload.title if payload.title is not None else kept.title,
            categories=cleaned["categories"] if payload.categories is not None
            else kept.category_text,
            aliases=cleaned["aliases"] if payload.aliases is not None
            else "\n".join(kept.aliases),
        )  # fmt: skip
        revision = services.revision_propose(
            article=article,
            author=author,
            body=cleaned["body"],
            summary=cleaned["summary"],
            citations=formset.citation_inputs(),
            base=base,
            names=names,
            submission_key=idempotency_key,
            acknowledged=payload.acknowledged or "",
        )
    except services.StaleBase as error:
        article.refresh_from_db()
        raise Problem(
            "stale-base",
            "The article was changed after the version your text was written against: "
            "read it again (current_revision_id), carry your change onto it, and propose again.",
            current_revision_id=article.approved_revision_id,
        ) from error
    except (ValidationError, services.WikiConflict) as error:
        raise _refused(error, formset) from error
    return Status(201, _answer(revision, author))


@router.post("/revisions/{revision_id}/withdraw", response={200: schemas.DecisionOut, **PROBLEMS})
def revision_withdraw(request: HttpRequest, revision_id: int):
    """Take back your own pending proposal."""
    author = require(request, "propose")
    revision = Revision.objects.filter(pk=revision_id, author=author).first()
    if revision is None:
        raise Problem("not-found", "You have no proposal with this number.")
    withdrawn = services.revision_withdraw(revision=revision, user=author)
    return {"revision_id": withdrawn.pk, "status": withdrawn.status}
