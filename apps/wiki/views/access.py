"""Fetching objects with their visibility rules, in one place for every view."""

import re
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from apps.accounts.models import User
from apps.citations.models import Source, SourceQuerySet

from ..citing import cited_by_approved_text, reusable_sources
from ..models import Article, Revision
from ..permissions import can_moderate, can_open_unpublished, can_view_revision
from ..policy import account_refusal

_ID = re.compile(r"[0-9]{1,18}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
FORBIDDEN = 403

View = Callable[..., HttpResponse]


def login_required_json(view: View) -> View:
    """Answer anonymous callers with a 403 in JSON, not a redirect: scripts fetch these."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Log in to use the editor."}, status=FORBIDDEN)
        return view(request, *args, **kwargs)

    return wrapper


def proposer_required(view: View) -> View:
    """Let through accounts that may propose (policy.account_refusal); show the rest why.

    Goes under ``login_required``: anonymous visitors are sent to log in first.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        refusal = account_refusal(request.user)
        if refusal:
            return render(
                request, "wiki/cannot_propose.html", {"message": refusal}, status=FORBIDDEN
            )
        return view(request, *args, **kwargs)

    return wrapper


def proposer_required_json(view: View) -> View:
    """As proposer_required, for the editor's endpoints: a 403 in JSON, not a page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Log in to use the editor."}, status=FORBIDDEN)
        refusal = account_refusal(request.user)
        if refusal:
            return JsonResponse({"error": refusal}, status=FORBIDDEN)
        return view(request, *args, **kwargs)

    return wrapper


def int_param(request: HttpRequest, name: str) -> int | None:
    """A positive integer from the query string, or None for anything else."""
    value = request.GET.get(name, "")
    return int(value) if _ID.fullmatch(value) else None


def int_list_param(request: HttpRequest, name: str, *, limit: int) -> list[int]:
    """Positive integers from ``?name=1&name=2`` or ``?name=1,2``, in order, without repeats.

    Raises ValueError, with a message for the caller, on anything else or on more than
    ``limit`` of them: a script that sends those has a bug worth hearing about.
    """
    parts = [part.strip() for value in request.GET.getlist(name) for part in value.split(",")]
    parts = [part for part in parts if part]
    if len(parts) > limit:
        raise ValueError(f"Ask for at most {limit} at once.")
    if not all(_ID.fullmatch(part) for part in parts):
        raise ValueError(f"“{name}” takes whole numbers, such as ?{name}=12 or ?{name}=12,15.")
    return list(dict.fromkeys(int(part) for part in parts))


def text_param(request: HttpRequest, name: str, *, max_length: int = 200) -> str:
    """A search string from the query string: trimmed, bounded, without NUL characters."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def slug_value(value: object) -> str:
    """A slug from posted or query data, or "" for anything else (NUL, other characters).

    Looked up as is, a NUL character makes PostgreSQL refuse the query (a 500); ""
    matches no row, so a lookup answers 404 or applies no filter instead.
    """
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else ""


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
    user: User | AnonymousUser, slug: str, *, queryset: QuerySet[Article] | None = None
) -> Article:
    """The article; 404 if it is unpublished and the user neither proposed it nor moderates."""
    queryset = queryset if queryset is not None else Article.objects.with_episode()
    article: Article = get_object_or_404(queryset, slug=slug)
    if article.is_published:
        return article
    if can_open_unpublished(user, article):
        return article
    raise Http404("No article with that address has been published.")


def get_revision_for_user(
    user: User | AnonymousUser, pk: int, *, slug: str | None = None
) -> Revision:
    """The revision, or 404 if this user may not see it (readers see approved text only)."""
    queryset = Revision.objects.select_related(
        "article__episode__season__show", "author", "decided_by"
    )
    filters: dict[str, int | str] = {"pk": pk}
    if slug is not None:
        filters["article__slug"] = slug
    revision: Revision = get_object_or_404(queryset, **filters)
    if not can_view_revision(user, revision):
        raise Http404("No such revision.")
    return revision
