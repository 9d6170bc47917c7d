"""Proposing: new articles, edits, resolutions of conflicts. Trusted authors skip the queue."""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from apps.accounts.models import User
from apps.catalog.models import Episode

from ..citing import NO_CITATION_MESSAGE, CitationInput, write_revision
from ..merging import has_conflict_markers
from ..models import Article, AuditAction, Revision, RevisionStatus
from ..notify import after_decision
from ..permissions import can_moderate
from ..policy import approves_automatically, proposal_refusal
from .common import audit, decide, publish
from .errors import StaleBase

# Slugs that would collide with the wiki's own addresses (/wiki/new/).
RESERVED_SLUGS = {"new"}
REVISABLE = {RevisionStatus.REJECTED, RevisionStatus.WITHDRAWN, RevisionStatus.PENDING}


def _check_text(*, body: str, summary: str) -> None:
    errors = {}
    if not body.strip():
        errors["body"] = "The article text cannot be empty."
    elif len(body) > settings.WIKI_MAX_BODY_LENGTH:
        errors["body"] = (
            f"The article text is too long ({len(body):,} characters; "
            f"at most {settings.WIKI_MAX_BODY_LENGTH:,})."
        )
    elif has_conflict_markers(body):
        errors["body"] = (
            "The text still has conflict markers (<<<<<<<, =======, >>>>>>>): keep the "
            "lines you want from each side and delete the markers."
        )
    if not summary.strip():
        errors["summary"] = "Say in a few words what you changed and why."
    if errors:
        raise ValidationError(errors)


def _write(
    *,
    article: Article,
    author: User,
    body: str,
    summary: str,
    base: Revision | None,
    citations: Sequence[CitationInput],
    revises: Revision | None = None,
) -> Revision:
    """Write a proposal; approve it at once when its author's proposals skip the queue."""
    revision = write_revision(
        article=article,
        author=author,
        body=body,
        summary=summary,
        base=base,
        citations=citations,
        revises=revises,
    )
    audit(revision=revision, actor=author, action=AuditAction.PROPOSED, from_status="")
    if approves_automatically(author):
        decide(
            revision,
            status=RevisionStatus.APPROVED,
            actor=author,
            automatic=True,
            action=AuditAction.AUTO_APPROVED,
            reason="Approved automatically: the author is trusted.",
        )
        publish(Article.objects.select_for_update().get(pk=article.pk), revision)
        after_decision(revision, actor=author)
    return revision


def article_create(
    *,
    author: User,
    title: str,
    body: str,
    summary: str,
    citations: Sequence[CitationInput],
    episode: Episode | None = None,
) -> Revision:
    """Create an article with its first revision; pending unless the author is trusted."""
    refusal = proposal_refusal(author, None)
    if refusal:
        raise PermissionDenied(refusal)
    title = title.strip()
    slug = slugify(title)[:200]
    if not slug:
        raise ValidationError({"title": "The title needs at least one letter or digit."})
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"title": f"“{title}” is reserved by the wiki; choose a longer title."}
        )
    _check_text(body=body, summary=summary)
    if not citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=title, slug=slug, episode=episode, created_by=author
            )
            return _write(
                article=article,
                author=author,
                body=body,
                summary=summary,
                base=None,
                citations=citations,
            )
    except IntegrityError as exc:
        if Article.objects.filter(slug=slug).exists():
            raise ValidationError(
                {"title": "An article with this title already exists or is awaiting review."}
            ) from exc
        raise


def _check_revises(revises: Revision | None, *, article: Article, author: User) -> None:
    if revises is None:
        return
    if revises.article_id != article.pk or revises.author_id != author.pk:
        raise PermissionDenied("You can only revise your own proposals to this article.")
    if revises.status not in REVISABLE:
        raise ValidationError("Only a pending, rejected or withdrawn proposal can be revised.")


def revision_propose(
    *,
    article: Article,
    author: User,
    body: str,
    summary: str,
    citations: Sequence[CitationInput],
    base: Revision | None,
    revises: Revision | None = None,
) -> Revision:
    """Propose a new text for an existing article.

    ``revises`` names the author's earlier proposal this one starts from (a
    rejected or withdrawn one, or a pending one whose conflict this resolves:
    that one is withdrawn in the same transaction, so nothing waits twice).
    """
    _check_text(body=body, summary=summary)
    if not citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    if not article.is_published and article.created_by_id != author.pk and not can_moderate(author):
        raise PermissionDenied("This article is awaiting review.")
    refusal = proposal_refusal(author, article)
    if refusal:
        raise PermissionDenied(refusal)
    if base is not None and base.article_id != article.pk:
        raise ValidationError("The revision you started from is not part of this article.")
    _check_revises(revises, article=article, author=author)
    with transaction.atomic():
        current = (
            Article.objects.select_for_update()
            .values_list("approved_revision_id", flat=True)
            .get(pk=article.pk)
        )
        if (base.pk if base else None) != current:
            # Saving it would queue a proposal that can never be approved; the
            # editor shows the conflict and keeps the text instead.
            raise StaleBase(
                "The article was changed while you were editing. Your text is kept below: "
                "compare it with the current version, then submit again."
            )
        if revises is not None and revises.status == RevisionStatus.PENDING:
            replaced = Revision.objects.select_for_update().get(pk=revises.pk)
            if replaced.status == RevisionStatus.PENDING:
                decide(
                    replaced,
                    status=RevisionStatus.WITHDRAWN,
                    actor=author,
                    reason="Replaced by the author's revised proposal.",
                )
        return _write(
            article=article,
            author=author,
            body=body,
            summary=summary,
            base=base,
            citations=citations,
            revises=revises,
        )
