"""What a revision shows readers beside its text: references and disputed statements."""

from dataclasses import dataclass, field
from string import ascii_lowercase
from typing import NamedTuple

from django.db.models import F, FilteredRelation, Q

from apps.catalog.models import Episode
from apps.citations.models import Source
from apps.markup import (
    apply_reader_settings,
    spoiler_section_codes,
    wikilink_source_targets,
    wikilink_targets,
    wikilinks_as_text,
)
from apps.web import spoilers

from .models import Article, Citation, Redirect, RedirectKind, Statement, StatementKind


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
    """A revision's stored HTML as this reader should see it (one query at most)."""
    return reader_html(revision.rendered_html, show=show)


def reader_html(html: str, *, show=None) -> str:
    """Stored renderer output as the active reader may see it (one query at most).

    Spoiler sections beyond the reader's "watched up to" point for the show are
    closed; links to articles after it show what stands for their title and a
    neutral address; links to articles that do not exist yet are marked as such.
    """
    point = spoilers.active().point(show)
    existing, folded, moved = _linked(html)
    return apply_reader_settings(html, watched=point, existing=existing, folded=folded, moved=moved)


def reader_view(html: str) -> str:
    """Freshly rendered text as a reader with no spoiler point would see it (the editor's
    preview): links to articles that do not exist yet marked (one query at most)."""
    existing, _folded, moved = _linked(html)
    return apply_reader_settings(html, watched=None, existing=existing, moved=moved)


def _linked(
    html: str,
) -> tuple[set[str], dict[str, tuple[str, str]], dict[str, tuple[str, str, bool]]]:
    """The slugs of the published articles that the text's wiki links name; for those the
    reader must not see, the address and label that stand for them; for those named by a
    former title or another name, the article's address and title now."""
    slugs = wikilink_targets(html)
    if not slugs:
        return set(), {}, {}
    existing: set[str] = set()
    folded: dict[str, tuple[str, str]] = {}
    moved: dict[str, tuple[str, str, bool]] = {}
    for slug, target in _link_targets(slugs).items():
        if target is None:
            continue
        existing.add(slug)
        if target.folded:
            folded[slug] = (target.address, target.label)
        elif target.moved:
            moved[slug] = (target.address, target.label, target.renamed)
    return existing, folded, moved


def prefetch_links(htmls: list[str]) -> None:
    """Look up, in one query, every article the wiki links of several stored texts name (a
    discussion's posts, a review's comments), so serving each of them costs none."""
    slugs: set[str] = set()
    for html in htmls:
        slugs |= wikilink_targets(html or "")
    if slugs:
        _link_targets(slugs)


class LinkTarget(NamedTuple):
    """Where a wiki link leads for the active reader. ``folded``: to an article after their
    point (``label`` stands for its title); ``moved``: to an article by a former title or
    another name (``label`` is its title now; ``renamed``: a former title, so a link showing
    it shows the title now, where a link by another name keeps its words). Neither: to the
    article at that slug."""

    address: str
    label: str
    folded: bool = False
    moved: bool = False
    renamed: bool = False


def _target(article: Article) -> LinkTarget:
    return LinkTarget(article.get_absolute_url(), article.display_title, folded=article.folded)


def _link_targets(slugs: set[str]) -> dict[str, LinkTarget | None]:
    """Slug -> the published article it leads to (directly, or through a redirect: a former
    title, another name), None when none. One query for the slugs not asked yet in this
    request; remembered for the request's reader."""
    reader = spoilers.active()
    memo: dict[str, LinkTarget | None] = (
        reader.memo.setdefault("wikilinks", {}) if reader is not spoilers.NOBODY else {}
    )
    missing = slugs - memo.keys()
    if missing:
        redirected = Redirect.objects.filter(slug__in=missing).values("article_id")
        found: dict[str, LinkTarget] = {}
        # Each side of the OR by an index (the slug; a redirect's slug, then the id): an OR
        # across the join itself scanned every article (1.0 ms a call at 1,000 articles,
        # against 0.58 ms before redirects; this is 0.85 ms).
        articles = (
            Article.objects.published()
            .with_episode()
            .annotate(named=FilteredRelation("redirects", condition=Q(redirects__slug__in=missing)))
            .filter(Q(slug__in=missing) | Q(pk__in=redirected))
            .annotate(via=F("named__slug"), via_kind=F("named__kind"))
            .order_by()
        )
        for article in articles:
            if article.slug in missing:  # an article's own address wins over any redirect
                found[article.slug] = _target(article)
            via = getattr(article, "via", None)  # the redirect's slug it was found by
            if via and via not in found:
                renamed = getattr(article, "via_kind", "") == RedirectKind.MOVED
                found[via] = _target(article)._replace(moved=True, renamed=renamed)
        for slug in missing:
            memo[slug] = found.get(slug)
    return {slug: memo[slug] for slug in slugs}


def raw_text_spoils(article: Article, body: str) -> bool:
    """Whether the Markdown of an article (the editor shows it whole) would tell the active
    reader something after their point: the article is folded, a spoiler section of it
    reveals a later episode, or it links to a folded article. One query at most."""
    reader = spoilers.active()
    if not reader.points:
        return False
    if article.folded:
        return True
    show = article.show
    point = reader.point(show)
    if point is not None and any(code > point for code in spoiler_section_codes(body)):
        return True
    slugs = wikilink_source_targets(body)
    return bool(slugs) and any(
        target is not None and target.folded for target in _link_targets(slugs).values()
    )


def shown_statements(statements: list[Statement]) -> list[Statement]:
    """Give each statement ``shown_text``: its words as the active reader may read them,
    wiki links as the text they show (or, to an article after the reader's point, as
    what stands for its title). One query at most, for the whole list."""
    slugs: set[str] = set()
    for statement in statements:
        slugs |= wikilink_source_targets(statement.text)
    folded = {}
    if slugs and spoilers.active().points:
        folded = {
            slug: target.label
            for slug, target in _link_targets(slugs).items()
            if target is not None and target.folded
        }
    for statement in statements:
        statement.shown_text = wikilinks_as_text(statement.text, folded=folded)
    return statements


def fold_sources(sources: list[Source]) -> list[Source]:
    """Mark ``folded`` each source the active reader knows only from articles after their
    point: approved text cites it, and every article whose text does is folded for them.
    Its title, author and address could tell the story; a list shows what stands for it.
    One query at most, for the whole list."""
    for source in sources:
        source.folded = False
    reader = spoilers.active()
    if not sources or not reader.points:
        return sources
    citing = (
        Citation.objects.current()
        .filter(source__in=sources)
        .select_related("revision__article__episode__season__show")
        .defer("revision__body", "revision__rendered_html")
    )
    shown: dict[int, bool] = {}
    for citation in citing:
        hidden = reader.hides(citation.revision.article.episode)
        shown[citation.source_id] = shown.get(citation.source_id, False) or not hidden
    for source in sources:
        source.folded = shown.get(source.pk) is False
    return sources


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
        .only("title", "slug", "episode")[:10]
    )
    for other in others:
        other.episode = episode  # their links ask the spoiler rule: no query each
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
    return SpoilerSetting(show, episodes, spoilers.active().points.get(show.slug, ""))
