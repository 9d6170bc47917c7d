from functools import partial

from django.http import HttpRequest

from apps.wiki.models import Revision
from apps.wiki.permissions import Someone, can_moderate


def _pending_count(user: Someone) -> int:
    return Revision.objects.pending().count() if can_moderate(user) else 0


def moderation(request: HttpRequest) -> dict[str, object]:
    """Whether the current user may moderate, and the queue's length, for templates.

    Callables, so pages that never ask cost no query (the permission is named once).
    """
    user = getattr(request, "user", None)
    return {
        "can_moderate": partial(can_moderate, user),
        "pending_count": partial(_pending_count, user),
    }
