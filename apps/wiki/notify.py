"""Who hears about a decision on a proposal: queued once the decision commits.

The services call ``after_decision`` inside their transaction; the telling
(:mod:`apps.wiki.tasks`) is queued only once it commits, so a decision that
rolls back tells no one, and the moderator's request never waits for it.
"""

from django.db import transaction

from .tasks import tell_about_decision

__all__ = ["after_decision"]


def after_decision(revision, *, actor) -> None:
    """Once the transaction commits, queue the news for the author and the followers."""

    # A closure, not functools.partial: Django names a failed robust callback by
    # its __qualname__, which a partial lacks.
    def queue():
        tell_about_decision.delay(revision.pk, actor.pk)

    # robust: the decision is already committed; a broker that cannot be reached is
    # logged, it must not turn the moderator's successful approval into an error page.
    transaction.on_commit(queue, robust=True)
