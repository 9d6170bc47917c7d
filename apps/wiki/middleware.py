"""A former address of an article answers with a permanent redirect to where it is now."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse

from .views.access import ArticleMoved

PERMANENT_SAME_METHOD = 308


class MovedArticleMiddleware:
    """Turn :class:`~apps.wiki.views.access.ArticleMoved` (raised by any view fetching an
    article by an address it no longer has: a title before a move, another name) into a
    301 to the same page at the article's address, keeping the query string. A form posted
    to the old address gets a 308, which browsers send on with the same method and body.
    The address is the reader's (apps.web.spoilers): neutral for a folded article."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ArticleMoved) or request.resolver_match is None:
            return None
        match = request.resolver_match
        try:
            path = reverse(
                match.view_name,
                args=match.args,
                kwargs={**match.kwargs, "slug": exception.article.url_slug},
            )
        except NoReverseMatch:
            return None
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
        if request.method not in ("GET", "HEAD"):
            response.status_code = PERMANENT_SAME_METHOD
        return response
