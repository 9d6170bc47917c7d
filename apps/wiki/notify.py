"""Who hears about a decision on a proposal: queued once the decision commits.

The services call ``after_decision`` inside their transaction; the telling
(:mod:`apps.wiki.tasks`) is queued only once it commits, so a decision that
rolls back tells no one, and the moderator's request never waits for it.
"""

from apps.outbox.services import send_later

from .tasks import tell_about_decision

__all__ = ["after_decision"]


def after_decision(revision, *, actor) -> None:
    """Once the transaction commits, queue the news for the author and the followers."""
    # A broker that cannot be reached must not turn the moderator's successful approval
    # into an error page, nor lose the news: the task is held until it answers.
    send_later(tell_about_decision, revision.pk, actor.pk)
