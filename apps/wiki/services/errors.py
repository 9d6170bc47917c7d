class WikiConflict(Exception):
    """A change that cannot happen in the current state (answered with a 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotPending(WikiConflict):
    pass


class StaleBase(WikiConflict):
    pass


class Claimed(WikiConflict):
    """Another moderator is reviewing the proposal."""
