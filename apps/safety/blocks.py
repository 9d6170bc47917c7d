"""Which block, if any, keeps someone from a write: the answer to wiki's "write-refusal".

One query for the blocks of the account and of the client's address (indexed), and
only when one is found, its articles and categories.
"""

from django.db.models import Q

from apps.accounts.models import User
from apps.categories.models import Membership
from apps.wiki.models import Article

from . import addresses
from .models import Action, Block


def _applies(block: Block, action: str, article: Article | None) -> bool:
    if block.sitewide or action in block.actions:
        return True
    if article is None or article.pk is None:
        return False
    if any(blocked.pk == article.pk for blocked in block.articles.all()):
        return True
    categories = [category.pk for category in block.categories.all()]
    return bool(categories) and (
        Membership.objects.filter(article_id=article.pk, category_id__in=categories).exists()
    )


def _message(block: Block, action: str, article: Article | None) -> str:
    who = "Your account is" if block.user_id else f"Your network ({block.network}) is"
    if block.sitewide:
        what = "blocked from writing on this wiki"
    elif action in block.actions:
        what = f"blocked from {Action(action).label.lower()}"
    else:
        what = f"blocked from writing about “{article.title if article else ''}”"
    return (
        f"{who} {what}, {block.until}. The moderator's reason: {block.reason} "
        "You can still read everything."
    )


def blocks_of(user: User | None, address: addresses.Address | None) -> list[Block]:
    """The active blocks on the account or on a range holding the address."""
    query = Q(pk__in=[])
    if user is not None and user.is_authenticated:
        query |= Q(user_id=user.pk)
    if address is not None:
        key = addresses.key(address)
        query |= Q(user__isnull=True, first__lte=key, last__gte=key)
    return list(
        Block.objects.active()
        .filter(query)
        .prefetch_related("articles", "categories")
        .order_by("-sitewide", "-created_at")
    )


def _blocks_now(user: User) -> list[Block]:
    """The blocks on ``user`` and the client's address, read once a request: a write asks
    the rule several times (the view's decorator, the view, the service)."""
    request = addresses.current_request.get()
    known = getattr(request, "_blocks", None) if request is not None else None
    if known is not None and known[0] == user.pk:
        return known[1]
    found = blocks_of(user, addresses.client_address())
    if request is not None:
        request._blocks = (user.pk, found)  # type: ignore[attr-defined]
    return found


def refusal(*, user: User, action: str, article: Article | None) -> str | None:
    """Why a block keeps ``user`` (from the client's address, in a request) from ``action``
    on ``article`` (None: anywhere), or None."""
    for block in _blocks_now(user):
        if _applies(block, action, article):
            return _message(block, action, article)
    return None
