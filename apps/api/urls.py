from functools import wraps

from django.urls import URLPattern, URLResolver, path

from apps.web.pagecache import cached_for_readers

from . import views
from .access import limit
from .api import api
from .endpoints.read import CACHED_FOR_READERS
from .problems import Problem, problem_response
from .tokens import client_address, record_write

app_name = "api"

# What the page cache keys an anonymous read by; a read with any of UNCACHED is answered
# afresh (their values are endless: a cursor can be made for any position).
QUERY = ("reveal", "limit", "season", "kind", "days", "bots", "to", "from")
UNCACHED = ("watched_up_to", "cursor", "q", "show", "user")


def _recorded(view):
    """Every write made with a token goes on the token's record, with its answer's status;
    a method the address does not take is a problem too (ninja answers it in HTML)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "Allow" in response:
            allowed = response["Allow"]
            response = problem_response(
                "method-not-allowed", f"This address takes {allowed}, not {request.method}."
            )
            response["Allow"] = allowed
        token = getattr(request, "api_token", None)
        if token is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            record_write(
                token=token,
                method=request.method,
                path=request.path,
                status=response.status_code,
                address=client_address(request),
            )
        return response

    return wrapper


def _read_limited(view):
    """Every read counts against RATELIMIT_API_READ before it is answered, from the page
    cache or not (as the site's limits run before its cached pages)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            try:
                limit(request, "api-read")
            except Problem as refused:
                return refused.response()
        return view(request, *args, **kwargs)

    return wrapper


def _wrap(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name != "openapi-json":
            view = pattern.callback
            if pattern.name in CACHED_FOR_READERS:
                # GET and HEAD by anonymous callers only
                view = cached_for_readers(view, query=QUERY, uncached=UNCACHED)
            pattern.callback = _recorded(_read_limited(view))
        elif isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns)
    return patterns


api_patterns, api_app, api_namespace = api.urls
urlpatterns = [
    path("v1/docs", views.reference, name="reference"),
    path("tokens/new/", views.token_new, name="token-new"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
api_urls = (_wrap(api_patterns), api_app, api_namespace)
