"""The sources autocomplete: JSON for the scripts that let a fan pick a source to cite.

The proposal editor's picker asks it as the fan types (and a "cite at the cursor"
picker will), instead of the page carrying every source the fan may cite. It
offers exactly what the proposal form accepts: ``sources_visible_to``.
"""

import re
from collections.abc import Iterable

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.citations.lookup import LookupRefused, lookup
from apps.citations.models import Source, SourceQuerySet
from apps.web.params import int_list_param, text_param

from .access import login_required_json, proposer_required_json, sources_visible_to

BAD_REQUEST = 400
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
MAX_RESULTS = 20
MAX_IDS = 30
# Control characters (NUL is removed before this check): no title, address or
# publisher contains them, so a query with them is a broken client, not a search.
_CONTROL = re.compile(r"[\x01-\x1f\x7f-\x9f]")
_FIELDS = ("id", "kind", "title", "url", "publisher", "author")


def _query_text(request: HttpRequest) -> str:
    """``q`` trimmed, without NUL characters, bounded; ValueError for control characters."""
    text = text_param(request, "q", max_length=MAX_QUERY_LENGTH)
    if _CONTROL.search(text):
        raise ValueError("The search text contains control characters; type words to search.")
    return text


def _matching(sources: SourceQuerySet, text: str) -> list[Source]:
    """At most MAX_RESULTS sources matching ``text``, best first, in one query."""
    if len(text) < MIN_QUERY_LENGTH:
        return []
    return list(sources.search(text).best_first(text).only(*_FIELDS)[:MAX_RESULTS])


def _by_id(sources: SourceQuerySet, ids: list[int]) -> list[Source]:
    """The sources among ``ids`` that the user may cite, in the order asked, in one query."""
    if not ids:
        return []
    found = {source.pk: source for source in sources.filter(pk__in=ids).only(*_FIELDS)}
    return [found[pk] for pk in ids if pk in found]


def _as_json(sources: Iterable[Source]) -> list[dict[str, int | str]]:
    # Plain strings: the client inserts them as text, never as HTML.
    return [
        {
            "id": source.pk,
            "title": source.title,
            "kind": source.kind,
            "kind_label": str(source.get_kind_display()),
            "publisher": source.publisher,
            "author": source.author,
            "url": source.url,
        }
        for source in sources
    ]


@never_cache
@require_safe
@login_required_json
def source_autocomplete(request: HttpRequest) -> JsonResponse:
    """Sources the user may cite that match ``?q=``, or those named by ``?id=``.

    Searches title, address and publisher (case-insensitive); fewer than
    MIN_QUERY_LENGTH characters find nothing. Bad input is a 400 with a message.
    """
    sources = sources_visible_to(request.user)
    try:
        if "id" in request.GET:
            found = _by_id(sources, int_list_param(request, "id", limit=MAX_IDS))
        else:
            found = _matching(sources, _query_text(request))
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=BAD_REQUEST)
    return JsonResponse({"results": _as_json(found)})


@never_cache
@require_POST
@proposer_required_json
def source_lookup(request: HttpRequest) -> JsonResponse:
    """A new web source's fields from its address (``url``): what the page says about
    itself (apps.citations.lookup). POST, for it makes the server fetch a page; a 400
    with a message when the address cannot be looked up, for the fan to type instead."""
    url = str(request.POST.get("url", "")).replace("\x00", "").strip()[:500]
    if not url:
        return JsonResponse({"error": "Paste the page's address first."}, status=BAD_REQUEST)
    try:
        found = lookup(url)
    except LookupRefused as refusal:
        return JsonResponse({"error": refusal.message}, status=BAD_REQUEST)
    return JsonResponse(found.as_dict())
