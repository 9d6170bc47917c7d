from apps.accounts.models import User
from apps.web import hooks
from apps.wiki.models import Article
from apps.wiki.slots import WRITE_REFUSAL

from . import blocks


@hooks.register(WRITE_REFUSAL, order=10)
def blocked(*, user: User, action: str, article: Article | None) -> str | None:
    return blocks.refusal(user=user, action=action, article=article)
