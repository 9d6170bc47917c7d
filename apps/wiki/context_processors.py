from functools import partial

from .models import Revision
from .permissions import can_moderate


def _pending_count(user):
    return Revision.objects.pending().count() if can_moderate(user) else 0


def moderation(request):
    """Whether the current user may moderate, and the queue's length, for templates.

    Callables, so pages that never ask cost no query (the permission is named once).
    """
    user = getattr(request, "user", None)
    return {
        "can_moderate": partial(can_moderate, user),
        "pending_count": partial(_pending_count, user),
    }
