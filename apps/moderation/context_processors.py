from functools import partial

from django.http import HttpRequest

from apps.wiki.models import Revision
from apps.wiki.permissions import Someone, can_moderate

KNOWN = "_pending_proposals"  # on the request, once counted (the queue counts them itself)


def _pending_count(request: HttpRequest, user: Someone) -> int:
    found = getattr(request, KNOWN, None)
    if found is None:
        found = Revision.objects.pending().count() if can_moderate(user) else 0
        setattr(request, KNOWN, found)
    return int(found)


def known(request: HttpRequest, count: int) -> None:
    """The queue's length, as a page's own query found it: the header asks no more."""
    setattr(request, KNOWN, count)


def moderation(request: HttpRequest) -> dict[str, object]:
    """Whether the current user may moderate, and the queue's length, for templates.

    Callables, so pages that never ask cost no query (the permission is named once).
    """
    user = getattr(request, "user", None)
    return {
        "can_moderate": partial(can_moderate, user),
        "pending_count": partial(_pending_count, request, user),
    }
