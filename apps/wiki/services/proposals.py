"""Proposing: new articles, edits, resolutions of conflicts. Trusted authors skip the queue."""

import hashlib
import json
from collections.abc import Sequence
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.catalog.models import Episode
from apps.web import hooks
from apps.web.usertext import line_problem

from ..citing import NO_CITATION_MESSAGE, CitationInput, names_of, write_revision
from ..merging import has_conflict_markers
from ..models import Article, AuditAction, Revision, RevisionStatus, RevisionTag
from ..naming import Names, check_names, clean_title, taken_over
from ..permissions import can_moderate, can_open_unpublished
from ..policy import approves_automatically, pending_refusal, proposal_refusal
from ..revising import superseded_by
from ..screening import Screening, Written, screen
from ..slots import REVISION_PROPOSED, REVISION_REVISED
from ..spam import check_proposal
from .common import audit, decide, lock
from .errors import StaleBase, TooManyPending
from .publishing import revision_publish

UNSCREENED = Screening()
REVISABLE = {
    RevisionStatus.REJECTED,
    RevisionStatus.WITHDRAWN,
    RevisionStatus.PENDING,
    RevisionStatus.CHANGES_REQUESTED,
}


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
    elif problem := line_problem(summary, what="edit summary"):
        errors["summary"] = problem
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
    names: Names,
    revises: Revision | None = None,
    submission: tuple[UUID, str] | None = None,
    screening: Screening = UNSCREENED,
) -> Revision:
    """Write a proposal; approve it at once when its author's proposals skip the queue
    (not when it would give the article a name that leads to another one, nor when a
    screen holds it: a moderator decides those)."""
    check_names(article=article, names=names)
    # The author's row, locked: two proposals at once cannot both pass the cap.
    list(User.objects.select_for_update().filter(pk=author.pk).values_list("pk", flat=True))
    crowded = pending_refusal(author)
    if crowded is not None:
        raise TooManyPending(crowded[1], waiting=crowded[0])
    revision = write_revision(
        article=article,
        author=author,
        body=body,
        summary=summary,
        base=base,
        citations=citations,
        revises=revises,
        submission_key=submission[0] if submission else None,
        submission_digest=submission[1] if submission else None,
        names=names,
    )
    check_proposal(author=author, revision=revision)  # rolls the transaction back if spam
    RevisionTag.objects.bulk_create(RevisionTag(revision=revision, tag=t) for t in screening.tags)
    audit(revision=revision, actor=author, action=AuditAction.PROPOSED, from_status="")
    hooks.run(REVISION_PROPOSED, revision=revision)
    if (
        not screening.hold
        and approves_automatically(author)
        and (
            can_moderate(author)
            or not taken_over(
                article=article, names=names, before=Names.of(base) if base is not None else None
            )
        )
    ):
        revision_publish(
            article=Article.objects.select_for_update().get(pk=article.pk),
            text=revision,
            actor=author,
            automatic=True,
            action=AuditAction.AUTO_APPROVED,
            reason="Approved automatically: the author is trusted.",
        )
    return revision


def article_create(
    *,
    author: User,
    title: str,
    body: str,
    summary: str,
    citations: Sequence[CitationInput],
    episode: Episode | None = None,
    submission_key: UUID | None = None,
    categories: str = "",
    aliases: str = "",
    acknowledged: str = "",
) -> Revision:
    """Create an article with its first revision; pending unless the author is trusted.

    ``categories`` and ``aliases`` are as the editor's fields take them (naming.py).

    ``submission_key`` is the editor form's one-time key: posted again with the
    same text, the proposal already stored is the answer. ``acknowledged``: the
    warnings (screening.Flagged) the author saw and submitted past.
    """
    refusal = proposal_refusal(author, None)
    if refusal:
        raise PermissionDenied(refusal)
    names = Names.typed(title=title, categories=categories, aliases=aliases)
    title, slug = clean_title(names.title)
    _check_text(body=body, summary=summary)
    if not citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    screening = screen(
        Written(kind="proposal", author=author, article=None, text=body, summary=summary,
                title=title, acknowledged=acknowledged)
    )  # fmt: skip
    digest = submission_digest(
        body=body, summary=summary, citations=citations, names=names, episode=episode
    )
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                submitted, _ = _prior_submission(author, submission_key, digest)
                if submitted is not None:
                    return submitted
                article = _article_to_create(title=title, slug=slug, episode=episode, author=author)
                # Again under the article's lock: the same form posted twice at once,
                # for a title already proposed, waited there for the first post.
                submitted, submission = _prior_submission(author, submission_key, digest)
                if submitted is not None:
                    return submitted
                return _write(
                    article=article,
                    author=author,
                    body=body,
                    summary=summary,
                    base=None,
                    citations=citations,
                    names=names,
                    submission=submission,
                    screening=screening,
                )
        except IntegrityError:
            # Another fan created this title between our read and our insert (or
            # this form was posted twice at once): the second attempt finds their
            # article and proposes beside their proposal (or finds this one).
            if attempt == 2 or not Article.objects.filter(slug=slug).exists():
                raise
    raise AssertionError("unreachable")


def submission_digest(
    *,
    body: str,
    summary: str,
    citations: Sequence[CitationInput],
    names: Names | None = None,
    episode: Episode | None = None,
) -> str:
    """A fingerprint of everything a fan submits with one editor page."""
    rows = [
        [
            c.key,
            c.source.pk if c.source is not None else sorted(map(str, c.new_source.items())),
            c.quote.strip(),
            c.locator.strip(),
        ]
        for c in citations
    ]
    stored = names.stored if names is not None else {}
    payload = [stored, episode.pk if episode else None, body, summary.strip(), rows]
    return hashlib.sha256(json.dumps(payload, default=str).encode()).hexdigest()


def _prior_submission(
    author: User, key: UUID | None, digest: str
) -> tuple[Revision | None, tuple[UUID, str] | None]:
    """What the editor page's one-time key says, in one query: the proposal it already
    stored with this same content (a repeat: answer with it), and the key and digest to
    store with a new proposal (None when other content was stored under the key: the page
    sent back after a change is a new proposal, stored without the key)."""
    if key is None:
        return None, None
    stored: Revision | None = Revision.objects.filter(author=author, submission_key=key).first()
    if stored is None:
        return None, (key, digest)
    return (stored if stored.submission_digest == digest else None), None


def _article_to_create(*, title: str, slug: str, episode: Episode | None, author: User) -> Article:
    """The article a new-article proposal goes to: a new one, or the unpublished one with its title.

    An unpublished title is never taken for good: a proposal for it joins the
    pending ones (the moderator sees them side by side; approving one makes the
    others stale proposals on the new article), and when every proposal was
    turned down or withdrawn, the new proposal takes the article over. Either
    way the answer is the same as for a free title, so it says nothing about a
    proposal readers cannot see.
    """
    # Locked: a decision on the pending proposals waits for this one (and the reverse).
    article: Article | None = Article.objects.select_for_update().filter(slug=slug).first()
    if article is None:
        return Article.objects.create(title=title, slug=slug, episode=episode, created_by=author)
    if article.is_published:
        raise ValidationError(
            {
                "title": f"An article called “{article.title}” already exists: "
                "propose your change as an edit to it."
            }
        )
    if not article.revisions.filter(status=RevisionStatus.PENDING).exists():
        article.title, article.episode, article.created_by = title, episode, author
        article.save(update_fields=["title", "episode", "created_by"])
    return article


def _check_revises(revises: Revision | None, *, article: Article, author: User) -> None:
    if revises is None:
        return
    if revises.article_id != article.pk or revises.author_id != author.pk:
        raise PermissionDenied("You can only revise your own proposals to this article.")
    if revises.status not in REVISABLE:
        raise ValidationError(
            "Only a pending, rejected or withdrawn proposal, or one sent back for changes, "
            "can be revised."
        )


def revision_propose(
    *,
    article: Article,
    author: User,
    body: str,
    summary: str,
    citations: Sequence[CitationInput],
    base: Revision | None,
    revises: Revision | None = None,
    submission_key: UUID | None = None,
    takes: str = "",
    names: Names | None = None,
    acknowledged: str = "",
) -> Revision:
    """Propose a new text for an existing article.

    ``names``: the title, categories and other names it gives the article (a new title
    moves it); None keeps those of ``base``.

    ``revises`` names the author's earlier proposal this one starts from (a
    rejected or withdrawn one, or a pending one whose conflict this resolves:
    that one is withdrawn in the same transaction, so nothing waits twice).
    ``takes`` is what the editor was opened to take into it (slots.EDITOR_TAKING),
    handed on to the apps that keep something about the revised proposal.
    """
    _check_text(body=body, summary=summary)
    if not citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    if not article.is_published and not can_open_unpublished(author, article):
        raise PermissionDenied("This article is awaiting review.")
    refusal = proposal_refusal(author, article)
    if refusal:
        raise PermissionDenied(refusal)
    if base is not None and base.article_id != article.pk:
        raise ValidationError("The revision you started from is not part of this article.")
    _check_revises(revises, article=article, author=author)
    screening = screen(
        Written(kind="proposal", author=author, article=article, text=body,
                previous=base.body if base is not None else "", summary=summary,
                title=names.title if names is not None else article.title,
                acknowledged=acknowledged)
    )  # fmt: skip
    with transaction.atomic():
        current = (
            Article.objects.select_for_update()
            .values_list("approved_revision_id", flat=True)
            .get(pk=article.pk)
        )
        # After the lock: the same form posted twice at once waits here for the first.
        if names is None:
            names = names_of(base, article)
        digest = submission_digest(body=body, summary=summary, citations=citations, names=names)
        submitted, submission = _prior_submission(author, submission_key, digest)
        if submitted is not None:
            return submitted
        if (base.pk if base else None) != current:
            # Saving it would queue a proposal that can never be approved; the
            # editor shows the conflict and keeps the text instead.
            raise StaleBase(
                "The article was changed while you were editing. Your text is kept below: "
                "compare it with the current version, then submit again."
            )
        if revises is not None:
            # As it is now, under the article's lock (a decision may have come meanwhile).
            replaced = Revision.objects.select_for_update().get(pk=revises.pk)
            newer = superseded_by(replaced)
            if newer is not None:
                raise ValidationError(
                    f"You already revised this proposal as #{newer.pk}: revise that one."
                )
            if replaced.status == RevisionStatus.PENDING:
                decide(
                    replaced,
                    status=RevisionStatus.WITHDRAWN,
                    actor=author,
                    reason="Replaced by the author's revised proposal.",
                )
        revision = _write(
            article=article,
            author=author,
            body=body,
            summary=summary,
            base=base,
            citations=citations,
            names=names,
            revises=revises,
            submission=submission,
            screening=screening,
        )
        if revises is not None:
            # What other apps keep about the replaced proposal follows it (review threads).
            hooks.run(REVISION_REVISED, old=revises, new=revision, takes=takes)
        return revision


def revision_withdraw(*, revision: Revision, user: User) -> Revision:
    """The author takes back their own pending proposal."""
    if revision.author_id != user.pk:
        raise PermissionDenied("Only the author can withdraw a proposal.")
    with transaction.atomic():
        _article, revision = lock(revision)
        decide(revision, status=RevisionStatus.WITHDRAWN, actor=user)
    return revision
