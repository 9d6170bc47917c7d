from functools import partial

from django.conf import settings

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


def site(request):
    """SITE_URL, for links that must be absolute (canonical, OpenGraph)."""
    return {"site_url": settings.SITE_URL}
