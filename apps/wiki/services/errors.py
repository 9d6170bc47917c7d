from apps.web.refusals import Conflict


class WikiConflict(Conflict):
    """A change to articles and revisions that cannot happen in the current state (a 409)."""


class NotPending(WikiConflict):
    pass


class StaleBase(WikiConflict):
    pass


class TooManyPending(WikiConflict):
    """The author's proposals fill their share of the review queue (policy.pending_refusal):
    answered 429, with how many await review."""

    def __init__(self, message: str, *, waiting: int) -> None:
        super().__init__(message)
        self.waiting = waiting
