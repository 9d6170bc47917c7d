"""Where a proposal stands in its author's revisions of it."""

from .models import Revision, RevisionStatus


def superseded_by(revision: Revision) -> Revision | None:
    """The author's revision of a proposal sent back for changes, once there is one."""
    if revision.status != RevisionStatus.CHANGES_REQUESTED:
        return None
    found: Revision | None = Revision.objects.filter(revises=revision).order_by("pk").first()
    return found


def review_state(revision: Revision) -> tuple[bool, Revision | None]:
    """Whether the proposal is still open to review, and the revision that superseded it.

    Open: pending, or sent back and not yet revised (once revised, the review moves on
    to the revision, and so does the conversation about it).
    """
    newer = superseded_by(revision)
    is_open = revision.status == RevisionStatus.PENDING or (
        revision.status == RevisionStatus.CHANGES_REQUESTED and newer is None
    )
    return is_open, newer


def is_open_for_review(revision: Revision) -> bool:
    return review_state(revision)[0]
