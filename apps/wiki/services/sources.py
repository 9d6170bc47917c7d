"""Staff's upkeep of sources: folding duplicates into one."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.citations.models import Source
from apps.web.pagecache import pages_changed

from ..models import Citation
from .errors import WikiConflict


def source_merge(*, keep: Source, duplicates: Iterable[Source], actor: User) -> int:
    """Fold duplicate sources into ``keep``: their citations point at it, then they go.

    Returns how many citations were moved. No citation is lost: the duplicates
    are deleted only after nothing refers to them.
    """
    if not (
        actor.has_perm("citations.change_source") and actor.has_perm("citations.delete_source")
    ):
        raise PermissionDenied("Merging sources needs permission to change and delete sources.")
    duplicate_ids = {source.pk for source in duplicates} - {keep.pk}
    if not duplicate_ids:
        raise ValidationError("Choose at least one other source to merge into the one you keep.")
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
        Source.objects.filter(pk__in=duplicate_ids).delete()
        pages_changed()
    return moved
