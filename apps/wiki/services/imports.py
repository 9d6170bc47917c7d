"""History written on another wiki, stored here as it happened: approved versions with
their own dates and authors (apps.operations.mediawiki calls these, one page per
transaction, inside that transaction).

What holds for every version holds here too: each cites at least one source, its markers
name its citations, it renders within the renderer's limits, and its names are checked
and applied by the same code as a moderator's approval. What belongs to a proposal made
here does not apply: no queue, no trust rule, no notification, and the dates are the
origin's (the audit log says when and by whom it was imported).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.catalog.models import Episode
from apps.markup import ReferenceState

from ..citing import (
    NO_CITATION_MESSAGE,
    Ages,
    CitationInput,
    keyed_citations,
    rendered,
    write_citations,
)
from ..models import Article, AuditAction, AuditEvent, Revision, RevisionStatus
from ..naming import Names, clean_title
from .publishing import make_current


@dataclass(frozen=True)
class ImportedVersion:
    """One version of a page as the other wiki kept it; its citations' sources are stored."""

    author: User
    body: str
    summary: str
    created_at: datetime
    citations: Sequence[CitationInput]
    names: Names


def imported_article(
    *, title: str, episode: Episode | None, created_by: User, created_at: datetime
) -> Article:
    """A new article for a page of the other wiki (ValidationError: a title that cannot be
    an address here; IntegrityError: one an article here already has)."""
    title, slug = clean_title(title)
    return Article.objects.create(
        title=title, slug=slug, episode=episode, created_by=created_by, created_at=created_at
    )


def write_imported(
    *,
    article: Article,
    version: ImportedVersion,
    base: Revision | None,
    importer: User,
    base_ages: Ages | None = None,
    prerendered: tuple[str, ReferenceState] | None = None,
) -> tuple[Revision, Ages]:
    """Store one imported version, approved as of its own date by ``importer``; it and
    its statements' ages (what a version written on it passes as ``base_ages``, sparing
    a query). Its audit event is written with the page's others (:func:`record_imported`).

    ``prerendered``: what citing.rendered_by_ids gave for this body, its citations' sources
    numbered by identity (the importer renders in worker processes); rendered here if not.

    Raises ValidationError, before writing anything, for a text this wiki cannot store.
    """
    if not version.citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    keyed = keyed_citations(version.citations)
    sources = {}
    for key, citation in keyed:
        assert citation.source is not None  # the importer stores sources first
        sources[key] = citation.source
    if prerendered is None:
        html, references = rendered(version.body, sources)
    else:
        html, references = prerendered
        assert set(references.sources_by_key or ()) == set(sources), "rendered for other citations"
    revision = Revision.objects.create(
        article=article,
        author=version.author,
        body=version.body,
        summary=version.summary,
        base=base,
        rendered_html=html,
        created_at=version.created_at,
        status=RevisionStatus.APPROVED,
        decided_by=importer,
        decided_at=version.created_at,
        automatic=version.author == importer,
        **version.names.stored,
    )
    locators = {key: citation.locator.strip() for key, citation in keyed}
    ages = write_citations(
        revision,
        keyed,
        sources,
        locators,
        references,
        base=base,
        since=version.created_at,
        earlier=base_ages,
    )
    return revision, ages


def record_imported(*, revisions: Sequence[Revision], importer: User) -> None:
    """The audit events of imported versions (one each, "imported", by ``importer``)."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            revision=revision,
            article_id=revision.article_id,
            actor=importer,
            action=AuditAction.IMPORTED,
            from_status="",
            to_status=RevisionStatus.APPROVED,
        )
        for revision in revisions
    )


def publish_imported(*, article: Article, revision: Revision) -> None:
    """Make an imported version the one readers see, as an approval does (its title, other
    names and categories; search). WikiConflict when its names cannot be given here (a
    title or other name another article holds): the caller's transaction is rolled back."""
    make_current(article=article, revision=revision, may_take_over=False)
