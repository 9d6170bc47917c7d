"""Export: every row of the wiki, read in chunks and written one JSON line at a time."""

import datetime
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.contrib.auth.models import Group
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.utils import timezone

from apps.accounts.models import User
from apps.safety.models import Suppression
from apps.wiki.models import SUPPRESSED_AUTHOR, AuditAction, AuditEvent, Statement

from .common import BACKUP_FORMAT, MODELS, NATURAL, SHARED, SUPPRESSED, VERSION, label

CHUNK_SIZE = 500
# One object as Django's "python" serializer gives it: {"model": ..., "pk": ..., "fields": {...}}.
Row = dict[str, Any]
# Read with each chunk, so a chunk costs a fixed number of queries whatever its size.
PREFETCH: dict[type[Model], tuple[str, ...]] = {
    Group: ("permissions__content_type",),
    User: ("groups", "user_permissions__content_type"),
    Statement: ("citations",),
}


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


class _Encoder(DjangoJSONEncoder):
    # DjangoJSONEncoder cuts times to milliseconds; a backup must keep every digit.
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def export_wiki(
    out: Writer,
    *,
    with_passwords: bool = False,
    with_suppressed: bool = False,
    chunk_size: int = CHUNK_SIZE,
    using: str = DEFAULT_DB_ALIAS,
) -> dict[str, int]:
    """Write every row of the wiki to ``out``, one line each; returns the rows per model.

    What oversight suppressed is left out (the revisions keep their placeholders)
    unless ``with_suppressed``."""
    counts: dict[str, int] = {}
    models = [model for model in MODELS if with_suppressed or model not in SUPPRESSED]
    with _snapshot(using):
        _write(out, _header(with_passwords, models))
        for model in models:
            rows = _serialised_rows(model, chunk_size=chunk_size, using=using)
            if model is User and not with_passwords:
                rows = _without_password(rows)
            if model is AuditEvent and not with_suppressed:
                rows = _without_suppressed_authors(rows)
            counts[label(model)] = _write_rows(out, rows)
        _write(out, {"end": True, "counts": counts})
    return counts


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One transaction, so rows written during the export cannot leave dangling keys in it."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # Every query sees the same snapshot, without blocking writers.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _header(with_passwords: bool, models: list[type[Model]]) -> dict[str, Any]:
    return {
        "format": BACKUP_FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "with_passwords": with_passwords,
        "models": [label(model) for model in models],
    }


def _serialised_rows(model: type[Model], *, chunk_size: int, using: str) -> Iterator[Row]:
    """The model's rows by pk, each as Django's serializer gives it, a chunk in memory at most."""
    queryset = model._base_manager.using(using).order_by("pk")
    queryset = queryset.prefetch_related(*PREFETCH.get(model, ()))
    serializer = serializers.get_serializer("python")()
    natural, shared = model in NATURAL, model in SHARED
    for obj in queryset.iterator(chunk_size=chunk_size):
        rows = serializer.serialize(
            [obj], use_natural_foreign_keys=natural, use_natural_primary_keys=shared
        )
        yield rows[0]


def _without_suppressed_authors(rows: Iterable[Row]) -> Iterator[Row]:
    """An author's own steps on a version whose author oversight suppressed: the record
    names the placeholder account, as the site shows it (apps.safety.suppression)."""
    hidden = set(Suppression.objects.filter(author=True).values_list("revision_id", flat=True))
    own = {AuditAction.PROPOSED, AuditAction.WITHDRAWN, AuditAction.AUTO_APPROVED}
    for row in rows:
        fields = row["fields"]
        if fields.get("revision") in hidden and fields.get("action") in own:
            fields["actor"] = _placeholder_key(fields["actor"])
        yield row


def _placeholder_key(key: Any) -> Any:
    placeholder = User.objects.get(username=SUPPRESSED_AUTHOR)
    return [placeholder.username] if isinstance(key, list) else placeholder.pk


def _without_password(rows: Iterable[Row]) -> Iterator[Row]:
    for row in rows:
        row["fields"].pop("password", None)
        yield row


def _write_rows(out: Writer, rows: Iterable[Row]) -> int:
    count = 0
    for row in rows:
        _write(out, row)
        count += 1
    return count


def _write(out: Writer, record: dict[str, Any]) -> None:
    # ASCII (other characters as \u escapes): the file is the same whatever stdout's encoding.
    out.write(json.dumps(record, cls=_Encoder) + "\n")
