"""The rows of one batch of articles, and the fastest way each engine takes them.

Articles and revisions go through bulk_create. The narrow, numerous rows
(citations, statements and their links, audit events, notifications: some 250
per article) are plain tuples, written with COPY on PostgreSQL and executemany
on SQLite: bulk_create spends microseconds preparing every value, which at the
default size adds minutes. The tuples hold what bulk_create would store: the
model's own columns, datetimes adapted by the backend (:func:`stamp`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db import connection, models
from psycopg import sql

from apps.notifications.models import Notification
from apps.wiki.models import Article, AuditEvent, Citation, Revision, Statement

CITATION = ("id", "revision", "source", "quote", "locator", "position", "key", "number", "uses")
STATEMENT = ("id", "revision", "position", "kind", "text", "anchor", "since")
LINK = ("statement", "citation")
AUDIT = (
    "revision",
    "article",
    "actor",
    "action",
    "from_status",
    "to_status",
    "reason",
    "created_at",
)
NOTIFICATION = ("user", "message", "url", "created_at", "read_at")

Row = tuple[Any, ...]


@lru_cache(maxsize=1 << 16)  # an article's statements mostly share one "since"
def stamp(value: datetime | None) -> object:
    """A datetime as the backend stores it (SQLite: UTC text; PostgreSQL: as it is)."""
    return connection.ops.adapt_datetimefield_value(value)


@dataclass
class Rows:
    """Everything one batch of articles inserts."""

    articles: list[Article] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    citations: list[Row] = field(default_factory=list)
    statements: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    audits: list[Row] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)


def insert(rows: Rows) -> None:
    # Revisions before their articles: an article may only be inserted pointing at an
    # approved revision of its own (triggers), and the foreign keys are checked at commit.
    Revision.objects.bulk_create(rows.revisions)
    Article.objects.bulk_create(rows.articles)
    write(Citation, CITATION, rows.citations)
    write(Statement, STATEMENT, rows.statements)
    write(Statement.citations.through, LINK, rows.links)
    write(AuditEvent, AUDIT, rows.audits)
    write(Notification, NOTIFICATION, rows.notifications)


def write(model: type[models.Model], fields: Sequence[str], values: list[Row]) -> None:
    """Insert tuples of ``fields`` (model field names) into the model's table."""
    table = model._meta.db_table
    columns = [str(model._meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table),
                sql.SQL(", ").join([sql.Identifier(column) for column in columns]),
            )
            with cursor.cursor.copy(statement) as copy:
                for row in values:
                    copy.write_row(row)
        else:
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            table_name = connection.ops.quote_name(table)
            # Names from the model's own _meta, values as parameters.
            cursor.executemany(f"INSERT INTO {table_name} ({quoted}) VALUES ({marks})", values)  # noqa: S608
