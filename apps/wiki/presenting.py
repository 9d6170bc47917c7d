"""What a revision shows readers beside its text: references and disputed statements."""

from dataclasses import dataclass, field
from string import ascii_lowercase

from django.db.models import Q

from apps.catalog.models import Episode
from apps.markup import apply_reader_settings, wikilink_targets
from apps.web import spoilers

from .models import Article, Citation, Statement, StatementKind


@dataclass
class Reference:
    """One entry of the reference list: a source, with every citation of it."""

    number: int
    source: object
    citations: list = field(default_factory=list)
    backlinks: list = field(default_factory=list)  # (anchor id, label)


@dataclass
class Dispute:
    number: int
    statement: Statement
    sides: list  # citations, each with .reference_number


@dataclass
class RevisionNotes:
    references: list
    disputes: list
    needed: list


def _backlink_labels(count):
    if count == 1:
        return ["^"]
    return [ascii_lowercase[i] if i < 26 else str(i + 1) for i in range(count)]


def reference_list(citations) -> list[Reference]:
    """Group citations by reference number (one per source), numbered as in the text."""
    entries: dict[int, Reference] = {}
    unnumbered = max((c.number for c in citations), default=0)
    for citation in citations:
        number = citation.number
        if not number:
            # Written before markers existed: an entry of its own after the numbered ones.
            unnumbered += 1
            number = unnumbered
        entry = entries.setdefault(number, Reference(number, citation.source))
        entry.citations.append(citation)
    for entry in entries.values():
        uses = sum(c.uses for c in entry.citations)
        entry.backlinks = (
            [
                (f"cite-ref-{entry.number}-{i}", label)
                for i, label in enumerate(_backlink_labels(uses), start=1)
            ]
            if uses
            else []
        )
    return sorted(entries.values(), key=lambda entry: entry.number)


def revision_notes(revision) -> RevisionNotes:
    """References, disputes and citation-needed statements of one revision (3 queries)."""
    citations = list(
        Citation.objects.filter(revision=revision)
        .select_related("source")
        .order_by("position", "id")
    )
    statements = list(revision.statements.exclude(kind=StatementKind.CITED))
    by_id = {c.pk: c for c in citations}
    sides: dict[int, list] = {}
    if any(s.kind == StatementKind.DISPUTED for s in statements):
        links = Statement.citations.through.objects.filter(
            statement__revision=revision, statement__kind=StatementKind.DISPUTED
        ).values_list("statement_id", "citation_id")
        for statement_id, citation_id in links:
            sides.setdefault(statement_id, []).append(by_id[citation_id])
    disputed = [s for s in statements if s.kind == StatementKind.DISPUTED]
    return RevisionNotes(
        references=reference_list(citations),
        disputes=[
            Dispute(index, statement, sides.get(statement.pk, []))
            for index, statement in enumerate(disputed, start=1)
        ],
        needed=[s for s in statements if s.kind == StatementKind.NEEDED],
    )


def page_html(request, revision, *, show=None) -> str:
    """A revision's stored HTML as this reader should see it (one query at most).

    Spoiler sections beyond the reader's "watched up to" point for the show are
    closed; links to articles that do not exist yet are marked as such.
    """
    html = revision.rendered_html
    watched = spoilers.watched(request, show)
    return apply_reader_settings(html, watched=watched, existing=_published(html))


def reader_view(html: str) -> str:
    """Freshly rendered text as a reader with no spoiler point would see it (the editor's
    preview): links to articles that do not exist yet marked (one query at most)."""
    return apply_reader_settings(html, watched=None, existing=_published(html))


def _published(html: str) -> set[str]:
    """The slugs of the published articles that the text's wiki links name."""
    slugs = wikilink_targets(html)
    if not slugs:
        return set()
    return set(Article.objects.published().filter(slug__in=slugs).values_list("slug", flat=True))


def neighbours(episode: Episode) -> tuple[Episode | None, Episode | None]:
    """The show's episodes just before and just after this one, across seasons (two queries)."""
    same_show = Episode.objects.filter(season__show_id=episode.season.show_id).select_related(
        "season"
    )
    season, number = episode.season.number, episode.number
    earlier = Q(season__number__lt=season) | Q(season__number=season, number__lt=number)
    later = Q(season__number__gt=season) | Q(season__number=season, number__gt=number)
    return (
        same_show.filter(earlier).order_by("-season__number", "-number").first(),
        same_show.filter(later).order_by("season__number", "number").first(),
    )


@dataclass(frozen=True)
class EpisodeBox:
    """What an article's infobox says about its episode."""

    episode: Episode
    previous: Episode | None
    next: Episode | None
    other_articles: list


def episode_box(article: Article) -> EpisodeBox | None:
    """The infobox beside an article about an episode (three queries; cached with the text)."""
    episode = article.episode
    if episode is None:
        return None
    previous, following = neighbours(episode)
    others = list(
        Article.objects.published()
        .filter(episode=episode)
        .exclude(pk=article.pk)
        .order_by("title")
        .only("title", "slug")[:10]
    )
    return EpisodeBox(episode, previous, following, others)


@dataclass
class SpoilerSetting:
    show: object
    episodes: list
    watched: str  # the code the reader set, or ""


def spoiler_setting(request, show) -> SpoilerSetting | None:
    """What the "I have watched up to" form needs for one show (one query)."""
    if show is None:
        return None
    episodes = list(Episode.objects.filter(season__show=show).select_related("season"))
    return SpoilerSetting(show, episodes, spoilers.points(request).get(show.slug, ""))
