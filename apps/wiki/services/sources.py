"""Staff's upkeep of sources: folding duplicates into one."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.citations.models import Source
from apps.web.pagecache import pages_changed
from apps.web.usertext import checked_reason

from ..models import ActionKind, Citation, ModeratorAction
from .errors import WikiConflict


def source_merge(*, keep: Source, duplicates: Iterable[Source], actor: User, reason: str) -> int:
    """Fold duplicate sources into ``keep``: their citations point at it, then they go.

    Returns how many citations were moved. No citation is lost: the duplicates
    are deleted only after nothing refers to them, and what they were (title,
    address, publisher) stays in the moderators' record with the reason.
    """
    if not (
        actor.has_perm("citations.change_source") and actor.has_perm("citations.delete_source")
    ):
        raise PermissionDenied("Merging sources needs permission to change and delete sources.")
    duplicate_ids = {source.pk for source in duplicates} - {keep.pk}
    if not duplicate_ids:
        raise ValidationError("Choose at least one other source to merge into the one you keep.")
    reason = checked_reason(reason)
    with transaction.atomic():
        # Lock every source involved so a citation cannot be added to a duplicate meanwhile.
        locked = list(
            Source.objects.select_for_update()
            .filter(pk__in=duplicate_ids | {keep.pk})
            .order_by("pk")
        )
        if len(locked) != len(duplicate_ids) + 1:
            raise WikiConflict("One of the sources no longer exists; reload and try again.")
        moved = Citation.objects.filter(source_id__in=duplicate_ids).update(source=keep)
        gone = [source for source in locked if source.pk != keep.pk]
        ModeratorAction.objects.create(
            actor=actor,
            action=ActionKind.SOURCES_MERGED,
            summary=(
                f"Merged {len(gone)} source{'s' if len(gone) != 1 else ''} "
                + ", ".join(f"#{source.pk} “{source.title}”" for source in gone)
                + f" into #{keep.pk} “{keep.title}”; {moved} citation{'s' if moved != 1 else ''} "
                "moved"
            )[:500],
            details={
                "kept": {"id": keep.pk, "title": keep.title, "url": keep.url},
                "merged": [
                    {
                        "id": source.pk,
                        "kind": source.kind,
                        "title": source.title,
                        "url": source.url,
                        "publisher": source.publisher,
                        "author": source.author,
                    }
                    for source in gone
                ],
                "citations_moved": moved,
            },
            reason=reason,
        )
        Source.objects.filter(pk__in=duplicate_ids).delete()
        pages_changed()
    return moved
