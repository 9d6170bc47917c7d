"""History tables refuse UPDATE and DELETE in the database itself, on both engines.

A history row (an audit event, a talk moderation record, a trust change) is
written once and never changed: the models say so in Python, and the triggers
made by :func:`append_only` (in each owning app's migrations) make the database
refuse it too, whatever writes to it — the ORM, the admin, a script, a shell.

- PostgreSQL: a ``BEFORE UPDATE OR DELETE`` row trigger. ``TRUNCATE``, which
  empties whole tables (the test suite's flush between transactional tests, an
  operator resetting a database), is not a row operation and is not refused.
- SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers. SQLite has no
  ``TRUNCATE`` (a flush deletes every row), so the delete trigger asks
  ``fanwiki_history_erasable()``, a function each connection of this project
  registers, which is false except inside :func:`erasing` — what ``manage.py
  flush`` runs in (apps/web/management/commands/flush.py), as the suite's
  transactional tests do. A connection without the function (another tool) is
  refused.
  Rebuilding one of these tables (a migration that alters it on SQLite) drops
  its triggers: the migration must call :func:`append_only` again, and the
  tests that try an update and a delete on every history table catch it if not.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.signals import connection_created
from django.db.migrations.state import StateApps

ERASABLE_FUNCTION = "fanwiki_history_erasable"
# Revisions are immutable in the database too, but for oversight: inside overseeing(),
# this function (SQLite) or the setting fanwiki.oversight (PostgreSQL, SET LOCAL) lets
# a revision's text, summary and author be replaced (apps.safety.suppression).
OVERSIGHT_FUNCTION = "fanwiki_oversight"
OVERSIGHT_SETTING = "fanwiki.oversight"
_state = threading.local()


@contextmanager
def erasing() -> Iterator[None]:
    """Let this thread's SQLite connections empty history tables (a whole-database flush)."""
    _state.erasing = True
    try:
        yield
    finally:
        _state.erasing = False


def _erasable() -> int:
    return int(getattr(_state, "erasing", False))


@contextmanager
def overseeing() -> Iterator[None]:
    """Let this transaction replace revisions' suppressible content (see OVERSIGHT_FUNCTION).
    Call inside transaction.atomic(): on PostgreSQL the setting ends with the transaction."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {OVERSIGHT_SETTING} = 'on'")
    _state.overseeing = True
    try:
        yield
    finally:
        _state.overseeing = False
        if connection.vendor == "postgresql" and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL {OVERSIGHT_SETTING} = 'off'")


def _overseeing() -> int:
    return int(getattr(_state, "overseeing", False))


def _register_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(ERASABLE_FUNCTION, 0, _erasable)
        connection.connection.create_function(OVERSIGHT_FUNCTION, 0, _overseeing)


def install() -> None:
    """Register the SQLite function on every new connection (WebConfig.ready)."""
    connection_created.connect(_register_function, dispatch_uid="fanwiki-history-erasable")


def _statements(table: str, what: str) -> dict[str, tuple[list[str], list[str]]]:
    message = f"{what} are append-only"
    return {
        "postgresql": (
            [
                f"""
                CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN
                  RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
                END;
                $$ LANGUAGE plpgsql
                """,
                f"""
                CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_append_only()
                """,
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_append_only()",
            ],
        ),
        "sqlite": (
            [
                f"""
                CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, '{message}'); END
                """,
                f"""
                CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                WHEN NOT {ERASABLE_FUNCTION}()
                BEGIN SELECT RAISE(ABORT, '{message}'); END
                """,
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_append_only",
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
            ],
        ),
    }


def append_only(table: str, *, what: str, replace: bool = False) -> migrations.RunPython:
    """A migration operation that makes ``table`` refuse UPDATE and DELETE (see above).

    ``replace``: the table was guarded before under these names (the audit log, since
    wiki's 0002): its triggers are made again, and going back leaves them to the earlier
    migration's own reversal, dropping only the delete trigger it did not have.
    """
    statements = _statements(table, what)

    def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        create, drop = statements.get(schema_editor.connection.vendor, ([], []))
        for statement in (drop if replace else []) + create:
            schema_editor.execute(statement)

    def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        vendor = schema_editor.connection.vendor
        drop = statements.get(vendor, ([], []))[1]
        if replace:
            drop = [f"DROP TRIGGER IF EXISTS {table}_no_delete"] if vendor == "sqlite" else []
        for statement in drop:
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward)
