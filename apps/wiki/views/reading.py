"""Pages readers see: home, articles, history, old revisions, sources, search."""

from dataclasses import replace
from functools import partial

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from apps.catalog.codes import parse_episode_code
from apps.catalog.models import Episode, Show
from apps.markup import table_of_contents
from apps.notifications.context_processors import known as known_unread
from apps.notifications.context_processors import shows_unread, unread_query
from apps.web.pagecache import (
    SignedIn,
    cached_for_readers,
    generation,
    not_for_the_cache,
    paged,
    personal_parts,
)
from apps.web.params import int_param, text_param
from fanwiki.prepared import Prepared

from ..models import (
    Article,
    Citation,
    Follow,
    Revision,
    RevisionStatus,
    Statement,
    citing_article_count,
)
from ..permissions import can_moderate
from ..presenting import (
    episode_box,
    fold_sources,
    page_html,
    revision_notes,
    shown_statements,
    spoiler_setting,
)
from ..revising import review_state
from ..search import search_articles
from ..slots import review_url
from .access import get_article_for_user, get_revision_for_user, sources_visible_to

PAGE_SIZE = 50


@require_safe
@cached_for_readers
def home(request):
    recent = (
        Article.objects.published()
        .with_episode()
        .select_related("approved_revision__author")
        .order_by("-approved_at")[:10]
    )
    shows = Show.objects.annotate(season_count=Count("seasons")).order_by("title")
    recent = list(recent)
    return render(request, "wiki/home.html", {"recent": recent, "shows": shows})


@require_safe
@cached_for_readers(query=("page",))
def article_list(request):
    page = paged(request, Article.objects.published().with_episode(), PAGE_SIZE)
    return render(request, "wiki/article_list.html", {"page": page})


def _parts_query(*, article: int, user: int, unread: bool = False):
    """The article page's personal parts: following, own proposals waiting, unread count."""
    asked = {
        "following": Exists(Follow.objects.filter(article_id=OuterRef("pk"), user_id=user)),
        "waiting": Exists(
            Revision.objects.pending().filter(article_id=OuterRef("pk"), author_id=user)
        ),
    }
    if unread:
        asked["unread"] = unread_query(user)
    return Article.objects.filter(pk=article).annotate(**asked).values_list(*asked)


# Compiled once per process: building it cost more than running it (fanwiki.prepared).
_PARTS = {
    unread: Prepared(partial(_parts_query, unread=unread), "article", "user")
    for unread in (False, True)
}


def article_parts(request, *, article_id: int, url_slug: str) -> dict[str, object]:
    """What the article page's personal parts show the signed-in reader: whether they
    follow it, their own proposals waiting for it, and the header's unread count.

    One query (two when the reader has proposals waiting): made again for each reader
    when the page itself comes from the cache (apps.web.pagecache).
    """
    user = request.user
    counted = shows_unread(user)
    found = _PARTS[counted].rows(Article, article=article_id, user=user.pk)
    following, waiting, *unread = found[0] if found else (False, False)
    known_unread(request, int(unread[0]) if counted and unread else 0)
    own_pending = []
    if waiting:
        own_pending = list(
            Revision.objects.pending()
            .filter(article_id=article_id, author_id=user.pk)
            .select_related("article__episode__season__show")
            .order_by("created_at")
        )
    return {
        "article": {"pk": article_id, "url_slug": url_slug},
        "is_following": bool(following),
        "own_pending": own_pending,
    }


def _fan(request) -> str | None:
    """The readers who share one signed-in article page: confirmed fans who do not
    moderate (moderators' pages show what waits for review)."""
    user = request.user
    if not user.email_verified or can_moderate(user):
        return None
    return "fan"


@require_safe
@cached_for_readers(signed_in=SignedIn(reader=_fan, parts=article_parts))
def article_detail(request, slug):
    queryset = Article.objects.with_episode().select_related(
        "approved_revision__author", "approved_revision__decided_by"
    )
    # Read before anything the page shows: see pagecache.generation().
    generation_value = generation()
    article = get_article_for_user(request.user, slug, queryset=queryset)
    if not article.is_published:
        # Shown to its creator and moderators only: never kept for other readers.
        not_for_the_cache(request)
    revision = article.approved_revision
    personal = {}
    if request.user.is_authenticated:
        personal = personal_parts(
            request, article_parts, article_id=article.pk, url_slug=article.url_slug
        )
    # Worked out only if the template's cached text fragment is missing.
    html = SimpleLazyObject(lambda: page_html(request, revision, show=_show(article)))
    return render(
        request,
        "wiki/article_detail.html",
        {
            "article": article,
            "revision": revision,
            "html": html,
            "toc": SimpleLazyObject(lambda: table_of_contents(str(html))),
            "episode_box": SimpleLazyObject(lambda: episode_box(article)),
            "notes": SimpleLazyObject(lambda: revision_notes(revision)),
            "page_generation": generation_value,
            "body_cache_seconds": settings.PAGE_CACHE_SECONDS,
            "spoiler_setting": spoiler_setting(request, _show(article)),
            "personal": personal,
        },
    )


def _show(article):
    return article.episode.season.show if article.episode_id else None


@require_safe
@cached_for_readers(query=("page",))
def article_history(request, slug):
    article = get_article_for_user(request.user, slug)
    approved = (
        article.revisions.approved()
        .select_related("author", "decided_by")
        .annotate(base_title=F("base__title"))
        .defer("body", "rendered_html")
        .order_by("-decided_at", "-id")
    )
    page = paged(request, approved, PAGE_SIZE)
    is_moderator = can_moderate(request.user)
    decisions = (
        article.audit_events.select_related("actor", "revision__author")
        .defer("revision__body", "revision__rendered_html")
        .order_by("-created_at", "-id")
    )
    if not is_moderator:
        # Readers see only what made text public: no proposals, rejections or their reasons.
        decisions = decisions.filter(to_status__in=[RevisionStatus.APPROVED, RevisionStatus.MERGED])
    decisions = list(decisions[:PAGE_SIZE])
    for event in decisions:
        # Moderators go from a pending proposal to where it is reviewed.
        event.review_url = (
            review_url(event.revision) if is_moderator and event.revision.is_pending else ""
        )
    return render(
        request,
        "wiki/article_history.html",
        {
            "article": article,
            "page": page,
            "decisions": decisions,
            "is_moderator": is_moderator,
        },
    )


@require_safe
@cached_for_readers
def revision_detail(request, slug, pk):
    revision = get_revision_for_user(request.user, pk, slug=slug)
    is_open, newer = review_state(revision)
    return render(
        request,
        "wiki/revision_detail.html",
        {
            "is_open": is_open,
            "superseded_by": newer,
            "revision": revision,
            "article": revision.article,
            "html": page_html(request, revision, show=_show(revision.article)),
            "notes": revision_notes(revision),
            "is_current": revision.article.approved_revision_id == revision.pk,
        },
    )


@require_safe
@cached_for_readers(query=("page",), uncached=("q",))
def source_list(request):
    query = text_param(request, "q")
    sources = (
        sources_visible_to(request.user)
        .annotate(article_count=citing_article_count())
        .order_by("title", "id")
    )
    if query:
        sources = sources.search(query)
    page = paged(request, sources, PAGE_SIZE)
    fold_sources(page.object_list)
    return render(request, "wiki/source_list.html", {"page": page, "query": query})


@require_safe
@cached_for_readers
def source_detail(request, pk):
    source = get_object_or_404(sources_visible_to(request.user), pk=pk)
    # Citations in the text readers see now: those of each article's approved revision.
    current = (
        Citation.objects.current()
        .filter(source=source)
        .select_related("revision__article__episode__season__show")
        .prefetch_related(Prefetch("statements", queryset=Statement.objects.order_by("position")))
        .order_by("revision__article__title", "position")
    )
    citations = list(current)
    # The source as this reader may see it: folded when only later articles cite it.
    source.folded = bool(citations) and all(c.revision.article.folded for c in citations)
    shown_statements([s for c in citations for s in c.statements.all()])
    return render(request, "wiki/source_detail.html", {"source": source, "citations": citations})


# Deep pages of a search are for crawlers, not readers: each costs a larger offset.
MAX_SEARCH_PAGE = 20


@require_safe
def search(request):
    query = text_param(request, "q")
    page = min(int_param(request, "page") or 1, MAX_SEARCH_PAGE)
    results, episodes = [], []
    code = parse_episode_code(query)
    if code:
        # A bare episode code is a request for that episode: go there when only one
        # show has it (several: list them below, with the articles that match).
        found = list(Episode.objects.with_show().filter(season__number=code[0], number=code[1])[:2])
        if len(found) == 1:
            return redirect(found[0])
    if query:
        # One more than a page tells whether a next page exists (no count of every match).
        results = search_articles(query, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        if page == 1:
            episode_filter = Q(title__icontains=query) | Q(production_code__iexact=query)
            if code:
                episode_filter |= Q(season__number=code[0], number=code[1])
            episodes = list(Episode.objects.with_show().filter(episode_filter)[:PAGE_SIZE])
    more_results = len(results) > PAGE_SIZE
    # An article beyond the reader's point shows neither its title nor its text.
    results = [
        replace(result, title=[(result.article.display_title, False)], snippet=[], alias=None)
        if result.article.folded
        else result
        for result in results[:PAGE_SIZE]
    ]
    return render(
        request,
        "wiki/search.html",
        {
            "query": query,
            "results": results,
            "articles": [result.article for result in results],
            "more_results": more_results,
            "episodes": episodes,
            "page_number": page,
            "first_number": (page - 1) * PAGE_SIZE + 1,
            "last_number": (page - 1) * PAGE_SIZE + len(results),
            "next_page": page + 1 if more_results and page < MAX_SEARCH_PAGE else None,
            "previous_page": page - 1 if page > 1 else None,
        },
    )
