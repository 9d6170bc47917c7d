"""Fetching objects with their visibility rules, in one place for every view."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.models import User
from apps.citations.models import Source, SourceQuerySet
from apps.web.refusals import FORBIDDEN, json_refusal

from ..citing import cited_by_approved_text, reusable_sources
from ..models import Article, ArticleQuerySet, Redirect, Revision
from ..permissions import can_moderate, can_open_unpublished, can_view_revision
from ..policy import UNVERIFIED_EMAIL, account_refusal

View = Callable[..., HttpResponse]
LOG_IN_TO_EDIT = "Log in to use the editor."


def login_required_json(view: View) -> View:
    """Answer anonymous callers with a 403 in JSON, not a redirect: scripts fetch these."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return json_refusal(PermissionDenied(LOG_IN_TO_EDIT))
        return view(request, *args, **kwargs)

    return wrapper


def writer_required(action: str) -> Callable[[View], View]:
    """Let through accounts that may ``action`` somewhere (policy.account_refusal: a block
    of one article is asked again by the view, with the article); show the rest why.

    Goes under ``login_required``: anonymous visitors are sent to log in first.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            refusal = account_refusal(request.user, action=action)
            if refusal:
                return cannot_write(request, refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def cannot_write(request: HttpRequest, refusal: str) -> HttpResponse:
    return render(
        request,
        "wiki/cannot_propose.html",
        {"message": refusal, "unverified": refusal == UNVERIFIED_EMAIL},
        status=FORBIDDEN,
    )


proposer_required = writer_required("propose")


def writer_required_json(action: str) -> Callable[[View], View]:
    """As writer_required, for the editor's endpoints: a 403 in JSON, not a page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            user = request.user
            refusal = (
                account_refusal(user, action=action) if user.is_authenticated else LOG_IN_TO_EDIT
            )
            if refusal:
                return json_refusal(PermissionDenied(refusal))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


proposer_required_json = writer_required_json("propose")


def sources_visible_to(user: User | AnonymousUser) -> SourceQuerySet:
    """Sources cited by approved text, plus, for their creator and moderators, the rest.

    A source described in a proposal is the proposal's content: readers see it
    only once a moderator has approved text that cites it.
    """
    if can_moderate(user):
        return Source.objects.all()
    if user.is_authenticated:
        return reusable_sources(user)
    return Source.objects.filter(cited_by_approved_text())


def get_article_for_user(
    user: User | AnonymousUser, slug: str, *, queryset: ArticleQuerySet | None = None
) -> Article:
    """The article; 404 if it is unpublished and the user neither proposed it nor moderates."""
    queryset = queryset if queryset is not None else Article.objects.with_episode()
    article: Article | None = queryset.at_address(slug).first()
    if article is not None and (article.is_published or can_open_unpublished(user, article)):
        return article
    moved_away(slug)
    raise Http404("No article with that address has been published.")


class ArticleMoved(Exception):
    """The address is a former title or another name of ``article``: the page is at its
    address now (apps.wiki.middleware answers with a permanent redirect there)."""

    def __init__(self, article: Article) -> None:
        super().__init__(article.slug)
        self.article = article


def moved_away(slug: str) -> None:
    """Raise ArticleMoved when ``slug`` is a redirect to a published article."""
    redirect = (
        Redirect.objects.filter(slug=slug, article__approved_revision__isnull=False)
        .select_related("article__episode__season__show")
        .first()
    )
    if redirect is not None:
        raise ArticleMoved(redirect.article)


def get_revision_for_user(
    user: User | AnonymousUser, pk: int, *, slug: str | None = None
) -> Revision:
    """The revision, or 404 if this user may not see it (readers see approved text only)."""
    queryset = Revision.objects.select_related(
        "article__episode__season__show", "author", "decided_by"
    )
    if slug is not None:
        queryset = queryset.filter(article__in=Article.objects.at_address(slug))
    found: Revision | None = queryset.filter(pk=pk).first()
    if found is None:
        if slug is not None:
            moved_away(slug)  # an address the article had: the same version at the new one
        raise Http404("No such revision.")
    revision = found
    if not can_view_revision(user, revision):
        raise Http404("No such revision.")
    return revision
