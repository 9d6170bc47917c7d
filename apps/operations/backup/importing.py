"""Import: a backup into an empty database, in one transaction, keeping primary keys."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Model

from apps.accounts.backends import permissions_changed
from apps.accounts.models import User
from apps.wiki.models import Article
from apps.wiki.search import refresh_search_documents

from .common import (
    BACKUP_FORMAT,
    MODELS,
    RENAMED,
    SHARED,
    VERSION,
    BackupError,
    label,
    many_to_many,
    through_models,
)

BATCH_SIZE = 500


def import_wiki(
    lines: Iterable[str], *, batch_size: int = BATCH_SIZE, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """Load a backup into an empty database, all or nothing; returns the rows per model.

    Raises BackupError (and writes nothing) for a non-empty database, a file that is not a
    backup of this format version, or one that is corrupt or truncated.
    """
    try:
        with transaction.atomic(using=using):
            _check_empty(using)
            counts = _Loader(using=using, batch_size=batch_size).load(lines)
            # Deferred foreign keys are checked here, inside the transaction, not at COMMIT.
            tables = [model._meta.db_table for model in (*MODELS, *through_models())]
            connections[using].check_constraints(table_names=tables)
            _reset_sequences(using)
            if connections[using].vendor == "sqlite":
                # SQLite's search index is a table of its own, not in the backup: made anew.
                refresh_search_documents()
            # Group memberships and permissions arrived without signals: none kept is valid.
            permissions_changed()
    except (DatabaseError, DeserializationError) as error:
        raise BackupError(f"Nothing was imported: {error}") from error
    return counts


def _check_empty(using: str) -> None:
    found = [
        label(model)
        for model in MODELS
        if model not in SHARED and model._base_manager.using(using).exists()
    ]
    if found:
        raise BackupError(
            f"The database is not empty (it has {', '.join(found)} rows); a backup is only "
            "imported into an empty database. Nothing was imported."
        )


def _reset_sequences(using: str) -> None:
    """Rows inserted with their own pks leave PostgreSQL's sequences behind; move them on."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), [*MODELS, *through_models()])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _records(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BackupError(
                f"Line {number} is not valid JSON ({error.msg}): the file is corrupt or "
                "truncated. Nothing was imported."
            ) from error
        if not isinstance(record, dict):
            raise BackupError(f"Line {number} is not a JSON object. Nothing was imported.")
        yield number, record


def _check_header(first: tuple[int, dict[str, Any]] | None) -> None:
    if first is None:
        raise BackupError("The file is empty. Nothing was imported.")
    header = first[1]
    if header.get("format") != BACKUP_FORMAT:
        raise BackupError(
            f"This is not a {BACKUP_FORMAT} file (its first line does not name the format). "
            "Nothing was imported."
        )
    if header.get("version") != VERSION:
        raise BackupError(
            f"This backup is format version {header.get('version')!r}; this site reads version "
            f"{VERSION} only. Nothing was imported."
        )


def _check_nothing_after(records: Iterator[tuple[int, dict[str, Any]]]) -> None:
    extra = next(records, None)
    if extra is not None:
        raise BackupError(f"Line {extra[0]} follows the final line. Nothing was imported.")


class _Loader:
    """Reads a backup's rows in file order and inserts them a batch of one model at a time."""

    def __init__(self, *, using: str, batch_size: int) -> None:
        self.using = using
        self.batch_size = batch_size
        self.models = {label(model): model for model in MODELS}
        self.counts = dict.fromkeys(self.models, 0)
        self.model: type[Model] | None = None
        self.batch: list[DeserializedObject] = []
        # (article pk, approved revision pk, approved at), set once the revisions are in.
        self.approvals: list[tuple[Any, Any, Any]] = []
        self.group_ids: dict[str, Any] | None = None
        self.permission_ids: dict[tuple[str, str, str], Any] | None = None

    def load(self, lines: Iterable[str]) -> dict[str, int]:
        records = _records(lines)
        _check_header(next(records, None))
        for number, record in records:
            if record.get("end") is True:
                self._finish(record)
                _check_nothing_after(records)
                return self.counts
            self._add(number, record)
        raise BackupError(
            "The file ends before its final line: it is truncated. Nothing was imported."
        )

    def _add(self, number: int, record: dict[str, Any]) -> None:
        model = self._model_of(number, record)
        if model is not self.model:
            self._flush()
            self.model = model
        # Named as the model is now (it may have moved to another app since the file).
        record = {**record, "model": label(model)}
        self.batch.append(self._deserialise(number, model, record))
        self.counts[label(model)] += 1
        if len(self.batch) >= self.batch_size:
            self._flush()

    def _model_of(self, number: int, record: dict[str, Any]) -> type[Model]:
        name = record.get("model", "")
        model = self.models.get(RENAMED.get(name, name)) if isinstance(name, str) else None
        if model is None:
            raise BackupError(f"Line {number} is not a row of a known model. Nothing was imported.")
        if self.model is not None and MODELS.index(model) < MODELS.index(self.model):
            raise BackupError(f"Line {number} is out of order. Nothing was imported.")
        if model not in SHARED and record.get("pk") is None:
            raise BackupError(f"Line {number} has no primary key. Nothing was imported.")
        return model

    def _deserialise(
        self, number: int, model: type[Model], record: dict[str, Any]
    ) -> DeserializedObject:
        if model is User:
            record = self._user_record(number, record)
        elif model is Group:
            fields = record.get("fields", {})
            permissions = [_permission_now(key) for key in fields.get("permissions", [])]
            record = {**record, "fields": {**fields, "permissions": permissions}}
        try:
            (row,) = serializers.deserialize("python", [record], using=self.using)
        except DeserializationError as error:
            raise BackupError(f"Line {number}: {error}. Nothing was imported.") from error
        if isinstance(row.object, Article):
            self._hold_approval(row.object)
        return row

    def _user_record(self, number: int, record: dict[str, Any]) -> dict[str, Any]:
        """Group names and permission keys as this database's pks; no hash: unusable password."""
        fields = dict(record.get("fields", {}))
        try:
            fields["groups"] = [self._group_id(*key) for key in fields.get("groups", [])]
            fields["user_permissions"] = [
                self._permission_id(*_permission_now(key))
                for key in fields.get("user_permissions", [])
            ]
        except (KeyError, TypeError) as error:
            raise BackupError(
                f"Line {number}: unknown group or permission {error}. Nothing was imported."
            ) from error
        fields.setdefault("password", make_password(None))
        return {**record, "fields": fields}

    def _group_id(self, name: str) -> Any:
        if self.group_ids is None:
            self.group_ids = dict(Group.objects.using(self.using).values_list("name", "pk"))
        return self.group_ids[name]

    def _permission_id(self, codename: str, app_label: str, model: str) -> Any:
        if self.permission_ids is None:
            permissions = Permission.objects.using(self.using).values_list(
                "codename", "content_type__app_label", "content_type__model", "pk"
            )
            self.permission_ids = {(c, a, m): pk for c, a, m, pk in permissions}
        return self.permission_ids[codename, app_label, model]

    def _hold_approval(self, article: Article) -> None:
        # Its revisions are not in yet, and the database refuses a pointer to a missing or
        # unapproved one; the check constraint wants both fields empty together.
        if article.approved_revision_id is not None:
            self.approvals.append((article.pk, article.approved_revision_id, article.approved_at))
        article.approved_revision_id = None
        article.approved_at = None

    def _flush(self) -> None:
        if not self.batch or self.model is None:
            return
        if self.model in SHARED:
            for row in self.batch:
                row.save(using=self.using)
        else:
            _insert(self.model, [row.object for row in self.batch], using=self.using)
            _insert_many_to_many(self.model, self.batch, using=self.using)
        self.batch = []

    def _finish(self, trailer: dict[str, Any]) -> None:
        self._flush()
        stated = trailer.get("counts")
        if not isinstance(stated, dict) or _nonzero(stated) != _nonzero(self.counts):
            raise BackupError(
                f"The final line counts {trailer.get('counts')} rows, but the file holds "
                f"{self.counts}: it is corrupt. Nothing was imported."
            )
        _publish(self.approvals, batch_size=self.batch_size, using=self.using)


def _permission_now(key: Any) -> Any:
    """A permission's natural key (codename, app label, model) as the model is named now."""
    if isinstance(key, list | tuple) and len(key) == 3:
        codename, app_label, model = key
        moved = RENAMED.get(f"{app_label}.{model}")
        if moved is not None:
            return [codename, *moved.split(".")]
    return key


def _nonzero(counts: dict[str, Any]) -> dict[str, Any]:
    """Rows per model as the models are named now, leaving out models with none (a file
    written before a model existed does not count it)."""
    return {RENAMED.get(name, name): count for name, count in counts.items() if count}


def _insert(model: type[Model], objs: list[Model], *, using: str) -> None:
    """Insert rows as they are, in as few statements as the database allows.

    A raw insert, as ``loaddata`` does one row at a time: no ``save()`` (a revision's stored
    HTML is kept byte for byte, a source's URL is not normalised again) and no ``pre_save()``
    (``auto_now_add`` times are kept). ``bulk_create`` would stamp those times anew.
    """
    fields = model._meta.local_concrete_fields
    size = max(connections[using].ops.bulk_batch_size(fields, objs), 1)
    manager = model._base_manager.using(using)
    for start in range(0, len(objs), size):
        # QuerySet._insert is what Model.save_base() uses; bulk_create offers no raw mode.
        manager._insert(  # type: ignore[attr-defined]
            objs[start : start + size], fields=fields, raw=True, using=using
        )


def _insert_many_to_many(model: type[Model], rows: list[DeserializedObject], *, using: str) -> None:
    for field, through in many_to_many(model):
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        links = [
            through(**{source: row.object.pk, target: pk})
            for row in rows
            for pk in (row.m2m_data or {}).get(field.name, ())
        ]
        through._base_manager.using(using).bulk_create(links, batch_size=BATCH_SIZE)


def _publish(approvals: list[tuple[Any, Any, Any]], *, batch_size: int, using: str) -> None:
    """Point each article at its approved revision, now that the revisions exist."""
    manager = Article._base_manager.using(using)
    for start in range(0, len(approvals), batch_size):
        articles = [
            Article(pk=pk, approved_revision_id=revision_id, approved_at=approved_at)
            for pk, revision_id, approved_at in approvals[start : start + batch_size]
        ]
        manager.bulk_update(articles, ["approved_revision", "approved_at"])
