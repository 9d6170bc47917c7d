"""Reading: articles, history, revisions, comparisons, sources, the catalog, search,
categories and recent changes. No token needed; every answer folds as the site does."""

from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from apps.catalog.models import Episode, Show
from apps.categories.models import Category, Membership
from apps.web.pagecache import generation
from apps.wiki.models import Article, Citation, Revision, RevisionStatus, Statement
from apps.wiki.permissions import can_moderate
from apps.wiki.presenting import fold_sources, shown_statements
from apps.wiki.search import search_articles
from apps.wiki.views.access import (
    ArticleMoved,
    get_article_for_user,
    get_revision_for_user,
    sources_visible_to,
)
from apps.wiki.views.recent import RecentFilters, recent_changes

from .. import present, schemas
from ..access import anyone, reads_as_owner
from ..access import limit as rate_limit  # `limit` is the lists' page size
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate, position, position_cursor
from ..problems import Problem
from ..reading import conditional, reader

router = Router(tags=["Reading"], auth=anyone)
# The reads whose answer to an anonymous caller depends only on the address (query string
# included) and what readers see: the site's page cache keeps them (urls.py), as it keeps
# the pages, until anything is published. Not search (as on the site) nor talk.
CACHED_FOR_READERS = {
    "article_list", "article_read", "article_history", "revision_read", "article_compare",
    "source_list", "source_read", "show_list", "episode_list", "episode_read",
    "category_list", "category_read", "recent",
}  # fmt: skip
PROBLEMS = dict.fromkeys((400, 401, 403, 404, 422, 429), schemas.ProblemOut)
CONDITIONAL = {**PROBLEMS, 304: None}
WATCHED = Query(
    [],
    description="Your point per show, as show:episode (the-office:S02E10); repeat for "
    "several shows. Without it: your account's points (with a token), else none.",
)
REVEAL = Query(False, description="Show what is after your point (the site's “show anyway”).")
CURSOR = Query(None, description="The next_cursor of the page before.")
LIMIT = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _article(request: HttpRequest, key: str) -> Article:
    queryset = Article.objects.with_episode().select_related("approved_revision")
    try:
        return get_article_for_user(request.user, key[:200], queryset=queryset)
    except ArticleMoved as moved:
        # A former title or another name: the article at its address now (the answer's
        # slug says which).
        return get_article_for_user(request.user, moved.article.slug, queryset=queryset)


@router.get("/articles", response={200: schemas.ArticlePage, **PROBLEMS})
def article_list(
    request: HttpRequest,
    show: str | None = Query(None, description="Only articles about this show's episodes."),
    watched_up_to: list[str] = WATCHED,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """Published articles, oldest first (new ones join at the end of the walk)."""
    queryset = Article.objects.published().with_episode()
    if show:
        queryset = queryset.filter(episode__season__show__slug=show[:200])
    with reader(watched_up_to):
        page = paginate(queryset, order=("id",), cursor=cursor, limit=limit)
        return {"items": present.articles(page.items), "next_cursor": page.next_cursor}


@router.get("/articles/{key}", response={200: schemas.ArticleOut, **CONDITIONAL})
def article_read(
    request: HttpRequest,
    response: HttpResponse,
    key: str,
    watched_up_to: list[str] = WATCHED,
    reveal: bool = REVEAL,
):
    """An article's approved text (Markdown and the HTML the site shows), its citations,
    categories, other names and episode. Sends an ETag; answers 304 to If-None-Match."""
    with reader(watched_up_to) as active:
        article = _article(request, key)
        unchanged = conditional(
            request, response, "article", article.pk, article.approved_revision_id,
            article.protection, article.slug, active.key, reveal, generation(),
        )  # fmt: skip
        if unchanged is not None:
            return unchanged
        revision = article.approved_revision
        data: dict = {
            "article": present.article_ref(article),
            "revision_id": None,
            "approved_at": article.approved_at,
            "protection": article.protection,
        }
        if revision is None or present.hidden(article, reveal):
            return data
        categories, aliases = present.names_out(revision)
        return {
            **data,
            "revision_id": revision.pk,
            "markdown": revision.body,
            "html": present.reader_html(revision.rendered_html, show=present.show_of(article)),
            "citations": present.citations_of(revision),
            "categories": categories,
            "aliases": aliases,
        }


@router.get("/articles/{key}/history", response={200: schemas.RevisionPage, **PROBLEMS})
def article_history(
    request: HttpRequest,
    key: str,
    watched_up_to: list[str] = WATCHED,
    reveal: bool = REVEAL,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The approved versions, the latest published first."""
    with reader(watched_up_to):
        article = _article(request, key)
        approved = (
            article.revisions.approved()
            .select_related("author", "decided_by")
            .defer("body", "rendered_html")
        )
        page = paginate(approved, order=("-decided_at", "-id"), cursor=cursor, limit=limit)
        for revision in page.items:
            revision.article = article
        return {
            "items": [present.revision_ref(r, reveal=reveal) for r in page.items],
            "next_cursor": page.next_cursor,
        }


def _private(request: HttpRequest, revision: Revision) -> bool:
    """Whether the caller sees a revision's private parts (the reason for a decision)."""
    return reads_as_owner(request) and (
        revision.author_id == request.user.pk or can_moderate(request.user)
    )


def _revision(request: HttpRequest, pk: int) -> Revision:
    """Approved versions for everyone; the rest for their author and moderators (with a
    token: one that reads as its owner)."""
    revision = get_revision_for_user(request.user, pk)
    if revision.status != RevisionStatus.APPROVED and not reads_as_owner(request):
        raise Http404("No such revision.")
    return revision


@router.get("/revisions/{revision_id}", response={200: schemas.RevisionOut, **CONDITIONAL})
def revision_read(
    request: HttpRequest,
    response: HttpResponse,
    revision_id: int,
    watched_up_to: list[str] = WATCHED,
    reveal: bool = REVEAL,
):
    """One version: approved ones for everyone; a proposal for its author and moderators."""
    with reader(watched_up_to) as active:
        revision = _revision(request, revision_id)
        private = _private(request, revision)
        unchanged = conditional(request, response, "revision", revision.pk, revision.status,
                                private, active.key, reveal, generation())  # fmt: skip
        if unchanged is not None:
            return unchanged
        return present.revision_out(revision, reveal=reveal, private=private)


@router.get("/articles/{key}/compare", response={200: schemas.CompareOut, **PROBLEMS})
def article_compare(
    request: HttpRequest,
    key: str,
    to: int = Query(..., description="The newer version."),
    from_: int | None = Query(None, alias="from", description="The older; default its base."),
    watched_up_to: list[str] = WATCHED,
    reveal: bool = REVEAL,
):
    """Two versions of an article compared: a unified diff and the citations changed."""
    with reader(watched_up_to):
        article = _article(request, key)
        newer = _revision(request, to)
        older_pk = from_ if from_ is not None else newer.base_id
        if newer.article_id != article.pk:
            raise Http404("That version is not one of this article's.")
        older = _revision(request, older_pk) if older_pk is not None else None
        if older is not None and older.article_id != article.pk:
            raise Http404("That version is not one of this article's.")
        if present.hidden(article, reveal):
            raise Problem("forbidden", "This article is after your point: add reveal=true.")
        if older is not None and older.created_at > newer.created_at:
            older, newer = newer, older
        return {
            "article": present.article_ref(article),
            "older_id": older.pk if older else 0,
            "newer_id": newer.pk,
            **present.comparison(older, newer),
        }


@router.get("/sources", response={200: schemas.SourcePage, **PROBLEMS})
def source_list(
    request: HttpRequest,
    q: str | None = Query(None, max_length=200, description="Words in the title or publisher."),
    watched_up_to: list[str] = WATCHED,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """Sources cited by approved text (and, for their creator and moderators, the rest)."""
    with reader(watched_up_to):
        sources = sources_visible_to(request.user)
        if q:
            sources = sources.search(q)
        page = paginate(sources, order=("id",), cursor=cursor, limit=limit)
        fold_sources(page.items)  # marks those only later articles cite: left out here
        return {
            "items": [present.source_out(s) for s in page.items if not s.folded],
            "next_cursor": page.next_cursor,
        }


@router.get("/sources/{source_id}", response={200: schemas.SourceDetailOut, **CONDITIONAL})
def source_read(
    request: HttpRequest,
    response: HttpResponse,
    source_id: int,
    watched_up_to: list[str] = WATCHED,
    reveal: bool = REVEAL,
):
    """A source with the statements of current text that cite it (ETag, as articles)."""
    with reader(watched_up_to) as active:
        source = get_object_or_404(sources_visible_to(request.user), pk=source_id)
        # Sources change with the approved text that cites them: the pages' generation.
        unchanged = conditional(request, response, "source", source.pk, active.key, reveal,
                                request.user.pk, generation())  # fmt: skip
        if unchanged is not None:
            return unchanged
        citations = list(
            Citation.objects.current()
            .filter(source=source)
            .select_related("revision__article__episode__season__show")
            .prefetch_related(
                Prefetch("statements", queryset=Statement.objects.order_by("position"))
            )
            .order_by("revision__article__title", "position")
        )
        if citations and all(present.hidden(c.revision.article, reveal) for c in citations):
            raise Problem("forbidden", "Only articles after your point cite this source.")
        shown_statements([s for c in citations for s in c.statements.all()])
        citing = []
        for citation in citations:
            article = citation.revision.article
            withheld = present.hidden(article, reveal)
            citing.append(
                {
                    "article": present.article_ref(article),
                    "quote": None if withheld else citation.quote,
                    "locator": None if withheld else citation.locator,
                    "statements": [] if withheld else [s.text for s in citation.statements.all()],
                }
            )
        return {**present.source_out(source), "citing": citing}


@router.get("/shows", response={200: list[schemas.ShowOut], **PROBLEMS})
def show_list(request: HttpRequest):
    """Every show, with its season numbers."""
    shows = Show.objects.prefetch_related("seasons").order_by("title", "id")
    return [
        {
            "slug": show.slug,
            "title": show.title,
            "description": show.description,
            "seasons": sorted(season.number for season in show.seasons.all()),
        }
        for show in shows
    ]


@router.get("/shows/{show}/episodes", response={200: schemas.EpisodePage, **PROBLEMS})
def episode_list(
    request: HttpRequest,
    show: str,
    season: int | None = Query(None, ge=0, le=1000),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """A show's episodes in broadcast order (season, then number)."""
    found = get_object_or_404(Show, slug=show[:200])
    episodes = Episode.objects.with_show().filter(season__show=found)
    if season is not None:
        episodes = episodes.filter(season__number=season)
    episodes = episodes.annotate(season_number=F("season__number"))
    order = ("season_number", "number", "id")
    page = paginate(episodes, order=order, cursor=cursor, limit=limit)
    return {"items": [present.episode_ref(e) for e in page.items], "next_cursor": page.next_cursor}


@router.get("/episodes/{episode_id}", response={200: schemas.EpisodeOut, **CONDITIONAL})
def episode_read(
    request: HttpRequest,
    response: HttpResponse,
    episode_id: int,
    watched_up_to: list[str] = WATCHED,
):
    """An episode and the published articles about it (ETag, as articles)."""
    with reader(watched_up_to) as active:
        episode = get_object_or_404(Episode.objects.with_show(), pk=episode_id)
        unchanged = conditional(request, response, "episode", episode.pk, active.key, generation())
        if unchanged is not None:
            return unchanged
        articles = Article.objects.published().with_episode().filter(episode=episode)
        return {
            **present.episode_ref(episode),  # type: ignore[dict-item]
            "production_code": episode.production_code,
            "articles": present.articles(articles.order_by("title", "id")[:100]),
        }


@router.get("/search", response={200: schemas.SearchOut, **PROBLEMS})
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=200),
    watched_up_to: list[str] = WATCHED,
    cursor: str | None = CURSOR,
    limit: int = Query(20, ge=1, le=50),
):
    """Published articles matching the words, best first (the site's search). Its cursor
    is a position in the ranking, up to 1,000 results deep."""
    rate_limit(request, "search")
    offset = position(cursor)
    with reader(watched_up_to):
        results = search_articles(q, limit=limit + 1, offset=offset)
        items = []
        for result in results[:limit]:
            article = result.article
            snippet = "" if article.folded else "".join(text for text, _hit in result.snippet)
            items.append({"article": present.article_ref(article), "snippet": snippet})
        more = len(results) > limit
        return {"items": items, "next_cursor": position_cursor(offset + limit) if more else None}


@router.get("/categories", response={200: schemas.CategoryPage, **PROBLEMS})
def category_list(request: HttpRequest, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Every category, by address."""
    categories = Category.objects.filter(merged_into__isnull=True)
    page = paginate(categories, order=("slug", "id"), cursor=cursor, limit=limit)
    return {
        "items": [{"slug": c.slug, "name": c.name} for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/categories/{slug}", response={200: schemas.CategoryDetailOut, **PROBLEMS})
def category_read(
    request: HttpRequest,
    slug: str,
    watched_up_to: list[str] = WATCHED,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """A category and its published articles (a merged category answers as the one it
    was merged into)."""
    category = get_object_or_404(Category.objects.select_related("merged_into"), slug=slug[:100])
    while category.merged_into is not None:
        category = Category.objects.select_related("merged_into").get(pk=category.merged_into.pk)
    with reader(watched_up_to):
        members = Membership.objects.filter(
            category=category,
            article__approved_revision__isnull=False,
            article__described_category__isnull=True,
        ).select_related("article__episode__season__show")
        page = paginate(members, order=("id",), cursor=cursor, limit=limit)
        return {
            "slug": category.slug,
            "name": category.name,
            "articles": present.articles(m.article for m in page.items),
            "next_cursor": page.next_cursor,
        }


@router.get("/recent", response={200: schemas.ChangePage, **PROBLEMS})
def recent(
    request: HttpRequest,
    show: str = Query("", max_length=200),
    user: str = Query("", max_length=150),
    kind: str = Query("", description="new or edit"),
    days: int | None = Query(None, ge=1, le=90),
    bots: bool = Query(True, description="false leaves out bots' edits."),
    watched_up_to: list[str] = WATCHED,
    reveal: bool = REVEAL,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """Recently published versions across the wiki, newest first, with the site's filters."""
    filters = RecentFilters.from_query(
        {"show": show, "user": user, "kind": kind, "days": str(days or "")}
    )
    revisions = recent_changes(filters).defer("body", "rendered_html")
    if not bots:
        revisions = revisions.filter(author__is_bot=False)
    with reader(watched_up_to):
        page = paginate(revisions, order=("-decided_at", "-id"), cursor=cursor, limit=limit)
        items = []
        for revision in page.items:
            withheld = present.hidden(revision.article, reveal)
            items.append(
                {
                    "revision_id": revision.pk,
                    "kind": "new" if revision.base_id is None else "edit",
                    "at": revision.decided_at,
                    "article": present.article_ref(revision.article),
                    "summary": None if withheld else revision.summary,
                    "author": revision.author.username,
                    "bot": revision.author.is_bot,
                    "automatic": revision.automatic,
                }
            )
        return {"items": items, "next_cursor": page.next_cursor}
