from django.http import HttpRequest
from django.template.loader import render_to_string

from apps.accounts.models import User
from apps.web import hooks
from apps.wiki.models import Article, Revision
from apps.wiki.permissions import can_moderate, can_oversee
from apps.wiki.screening import Screening, Written
from apps.wiki.slots import CONTENT_CHECK, PROFILE_TOOLS, REVISION_ACTIONS, WRITE_REFUSAL

from . import blocks, filters
from .models import Block


@hooks.register(WRITE_REFUSAL, order=10)
def blocked(*, user: User, action: str, article: Article | None) -> str | None:
    return blocks.refusal(user=user, action=action, article=article)


@hooks.register("moderation-links", order=10)
def blocks_link(*, request: HttpRequest) -> str:
    return render_to_string("safety/moderation_link.html", request=request)


@hooks.register(PROFILE_TOOLS, order=10)
def profile_tools(*, request: HttpRequest, person: User) -> str | None:
    """For moderators on a fan's profile: the blocks in force on them, and the way to one."""
    if not can_moderate(request.user) or person.pk == request.user.pk:
        return None
    in_force = Block.objects.active().filter(user=person).prefetch_related("articles", "categories")
    return render_to_string(
        "safety/profile_tools.html", {"person": person, "blocks": in_force}, request=request
    )


@hooks.register(CONTENT_CHECK, order=10)
def edit_filters(*, written: Written) -> Screening | None:
    return filters.check(written)


@hooks.register(REVISION_ACTIONS, order=50)
def oversight_link(*, request: HttpRequest, revision: Revision, is_current: bool) -> str | None:
    """Oversighters reach the suppression of a version from its page."""
    if not can_oversee(request.user):
        return None
    return render_to_string("safety/oversight_link.html", {"revision": revision}, request=request)
