from apps.web.refusals import Conflict


class WikiConflict(Conflict):
    """A change to articles and revisions that cannot happen in the current state (a 409)."""


class NotPending(WikiConflict):
    pass


class StaleBase(WikiConflict):
    pass
