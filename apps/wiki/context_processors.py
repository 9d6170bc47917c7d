from functools import partial

from .permissions import can_moderate


def moderation(request):
    """Whether the current user may moderate, for templates (the permission is named once).

    A callable, so pages that never ask cost no permission query.
    """
    return {"can_moderate": partial(can_moderate, getattr(request, "user", None))}
