"""Writing a revision's citations and statements, and checking its markers.

Used by the services inside their transactions; nothing here commits on its own.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.citations.kinds import clean_locator
from apps.citations.models import Source, SourceQuerySet
from apps.citations.normalise import normalise_url
from apps.markup import MarkdownTooComplex, ReferenceState, render_with_references

from .models import Article, Citation, Revision, RevisionStatus, Statement
from .naming import Names

NO_CITATION_MESSAGE = "Cite at least one source: every proposal must say where its facts come from."
MAX_KEY = 999
# The alt text the editor puts in for an uploaded image, selected for the fan to type over
# (static/js/citations.js): left as it is, it describes nothing.
IMAGE_ALT_PLACEHOLDER = "describe the image"
# An <img> whose alt is missing or blank, in the sanitised HTML.
_IMAGE_WITHOUT_ALT = re.compile(r'<img(?![^>]*\balt="[^"]*[^"\s])[^>]*>')


# A revision's statements and when each was first written: (kind, text) -> since.
Ages = dict[tuple[str, str], datetime]


@dataclass(frozen=True)
class CitationInput:
    """One citation as submitted: an existing source, or the fields of a new one.

    ``key`` is the number the text's markers use for it ([@1]); 0 means "the
    next free number", in submission order.
    """

    source: Source | None = None
    new_source: dict[str, object] = field(default_factory=dict)
    quote: str = ""
    locator: str = ""
    key: int = 0
    verbatim: bool = False  # copied from a stored citation: keep its locator as it is


def names_of(base: Revision | None, article: Article) -> Names:
    """The names a version keeps when it changes none: its base's, or the article's title."""
    return Names.of(base) if base is not None else Names(title=article.title)


def citation_field(key: int) -> str:
    """The error key under which a problem with one citation row is reported."""
    return f"citation-{key}"


def keyed_citations(citations: Sequence[CitationInput]) -> list[tuple[int, CitationInput]]:
    taken = {c.key for c in citations if c.key}
    if len(taken) != len([c for c in citations if c.key]):
        raise ValidationError("Two citations have the same number; give each its own.")
    if any(key > MAX_KEY for key in taken):
        raise ValidationError(f"Citation numbers go up to {MAX_KEY}.")
    keyed, next_key = [], 1
    for citation in citations:
        key = citation.key
        if not key:
            while next_key in taken:
                next_key += 1
            key = next_key
            taken.add(key)
        keyed.append((key, citation))
    return keyed


def cited_by_approved_text() -> Exists:
    """True for a source that approved text cites: one readers see."""
    return Exists(
        Citation.objects.filter(source=OuterRef("pk"), revision__status=RevisionStatus.APPROVED)
    )


def reusable_sources(author: User) -> SourceQuerySet:
    """Sources a fan's citation may reuse: those readers see, the fan's own, and those the
    fan's own proposals cite (revising one keeps every citation it had)."""
    own_citations = Citation.objects.filter(source=OuterRef("pk"), revision__author=author)
    return Source.objects.filter(
        cited_by_approved_text() | Q(created_by=author) | Exists(own_citations)
    )


def _resolve_source(citation: CitationInput, *, author: User) -> Source:
    if citation.source is not None:
        return citation.source
    if not citation.new_source:
        raise ValidationError("Each citation needs a source: choose one or describe a new one.")
    source = Source(created_by=author, **citation.new_source)
    # Normalised before validation, so the length check and the lookup below
    # see the address as it will be stored.
    source.url = normalise_url(source.url or "")
    source.archive_url = normalise_url(source.archive_url or "")
    source.full_clean(exclude=["created_by"])
    if source.url:
        # The same page cited again is the same source, not a copy of it, but only
        # a source readers already see or the author's own: another fan's unreviewed
        # description of that page (its title, its publisher) must not become this
        # proposal's words. Moderators merge the duplicates this leaves.
        existing: Source | None = (
            reusable_sources(author).filter(url=source.url).order_by("id").first()
        )
        if existing is not None:
            return existing
    # Source.save (apps/citations/models.py) is not annotated yet.
    source.save()  # type: ignore[no-untyped-call]
    return source


def _check_markers(references: ReferenceState, keys: list[int]) -> None:
    """Every marker names a citation, and every citation is used by a marker."""
    errors: dict[str, str | list[str]] = {}
    body = list(dict.fromkeys(references.problems))
    if references.unknown_keys:
        unknown = ", ".join(f"[@{k}]" for k in sorted(set(references.unknown_keys)))
        known = ", ".join(str(k) for k in sorted(keys))
        body.append(
            f"{unknown} names no citation of this proposal (its citations are {known}). "
            "Fix the number, or add the citation below."
        )
    if body:
        errors["body"] = body
    for key in references.unused_keys():
        errors[citation_field(key)] = (
            f"Citation {key} is not used: put [@{key}] after the statement it supports, "
            "or remove the citation."
        )
    if errors:
        raise ValidationError(errors)


def write_revision(
    *,
    article: Article,
    author: User,
    body: str,
    summary: str,
    base: Revision | None,
    citations: Sequence[CitationInput],
    revises: Revision | None = None,
    merged_from: Revision | None = None,
    submission_key: UUID | None = None,
    submission_digest: str | None = None,
    names: Names | None = None,
) -> Revision:
    """Create a revision with its citations and statements; refuse bad markers.

    ``names``: the title, categories and other names it gives the article; None keeps
    those of ``base`` (or, for a new article, its title alone)."""
    if not citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    keyed = keyed_citations(citations)
    for _key, citation in keyed:
        if not citation.quote.strip() and not citation.locator.strip():
            raise ValidationError(
                "Each citation needs a supporting quote or a locator (page, timestamp, minute)."
            )
    sources = {key: _resolve_source(citation, author=author) for key, citation in keyed}
    locators: dict[int, str] = {}
    for key, citation in keyed:
        if citation.verbatim:
            locators[key] = citation.locator.strip()
            continue
        try:
            locators[key] = clean_locator(sources[key].kind, citation.locator)
        except ValidationError as error:
            raise ValidationError({citation_field(key): error.messages}) from error
    html, references = rendered(body, sources)
    if f'alt="{IMAGE_ALT_PLACEHOLDER}"' in html:
        raise ValidationError(
            {
                "body": f"Describe each image for readers who cannot see it: replace "
                f"“{IMAGE_ALT_PLACEHOLDER}” with what the image shows."
            }
        )
    if _IMAGE_WITHOUT_ALT.search(html):
        raise ValidationError(
            {
                "body": "Every image needs alt text describing it for readers who cannot see "
                "it: write it between the brackets, like ![Pam at the reception desk](…)."
            }
        )

    revision = Revision.objects.create(
        article=article,
        author=author,
        body=body,
        summary=summary.strip(),
        base=base,
        revises=revises,
        merged_from=merged_from,
        rendered_html=html,
        submission_key=submission_key,
        submission_digest=submission_digest,
        **(names or names_of(base, article)).stored,
    )
    write_citations(revision, keyed, sources, locators, references, base=base)
    return revision


def rendered(body: str, sources: dict[int, Source]) -> tuple[str, ReferenceState]:
    """A body rendered against its citations' sources (key → source), its markers checked:
    the HTML to store and what the markers said. ValidationError for what cannot be stored."""
    return rendered_by_ids(body, {key: source.pk for key, source in sources.items()})


def rendered_by_ids(body: str, source_ids: dict[int, int]) -> tuple[str, ReferenceState]:
    """As :func:`rendered`, with each citation's source given by a number that stands for
    it (the same number for citations of the same source): no database needed, so the
    importer renders in worker processes before the sources are stored."""
    try:
        html, references = render_with_references(body, source_ids)
    except MarkdownTooComplex as exc:
        raise ValidationError({"body": str(exc)}) from exc
    _check_markers(references, list(source_ids))
    return html, references


def write_citations(
    revision: Revision,
    keyed: list[tuple[int, CitationInput]],
    sources: dict[int, Source],
    locators: dict[int, str],
    references: ReferenceState,
    *,
    base: Revision | None,
    since: datetime | None = None,
    earlier: "Ages | None" = None,
) -> "Ages":
    """Store a new revision's citations and the statements its markers make (a statement
    new in it dates from ``since``, by default now; one the base had keeps its age, from
    ``earlier`` when the caller knows the base's). Returns the new statements' ages."""
    numbers = references.numbers_by_key
    rows = Citation.objects.bulk_create(
        Citation(
            revision=revision,
            source=sources[key],
            quote=citation.quote.strip(),
            locator=locators[key],
            position=position,
            key=key,
            number=numbers.get(key, 0),
            uses=references.uses_by_key.get(key, 0),
        )
        for position, (key, citation) in enumerate(keyed)
    )
    return _write_statements(
        revision,
        references,
        {row.key: row for row in rows},
        base=base,
        since=since,
        earlier=earlier,
    )


def _write_statements(
    revision: Revision,
    references: ReferenceState,
    citations_by_key: dict[int, Citation],
    *,
    base: Revision | None,
    since: datetime | None = None,
    earlier: "Ages | None" = None,
) -> "Ages":
    # A statement carried over unchanged from the base keeps its age, so
    # "citation needed" lists stay oldest first across edits.
    if earlier is None:
        earlier = {}
        if base is not None:
            earlier = {(s.kind, s.text): s.since for s in base.statements.all()}
    now = since or timezone.now()
    statements = Statement.objects.bulk_create(
        Statement(
            revision=revision,
            position=position,
            kind=found.kind,
            text=found.text,
            anchor=found.anchor,
            since=earlier.get((found.kind, found.text), now),
        )
        for position, found in enumerate(references.statements)
    )
    Through = Statement.citations.through
    Through.objects.bulk_create(
        Through(statement_id=statement.pk, citation_id=citations_by_key[key].pk)
        for statement, found in zip(statements, references.statements, strict=True)
        for key in dict.fromkeys(found.keys)
        if key in citations_by_key
    )
    return {(statement.kind, statement.text): statement.since for statement in statements}


def problems_with(body: str, citations: Sequence[CitationInput]) -> list[str]:
    """What write_revision would refuse in this text and these (resolved) citations.

    For checking a computed text, such as a merge, before offering it.
    """
    try:
        keyed = keyed_citations(citations)
        source_ids: dict[int, int] = {}
        for key, citation in keyed:
            assert citation.source is not None  # resolved citations only (see the docstring)
            source_ids[key] = citation.source.pk
        html, references = render_with_references(body, source_ids)
        _check_markers(references, [key for key, _ in keyed])
    except (ValidationError, MarkdownTooComplex) as error:
        return list(getattr(error, "messages", [str(error)]))
    if _IMAGE_WITHOUT_ALT.search(html):
        return ["An image has no alt text."]
    return []
