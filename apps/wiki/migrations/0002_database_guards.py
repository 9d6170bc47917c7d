"""Rules the ORM cannot declare, enforced by the database itself.

- An article's approved revision must be one of that article's revisions:
  on PostgreSQL a composite foreign key onto the unique (id, article_id) pair,
  on SQLite a trigger.
- Audit events are append-only: UPDATE and DELETE are refused by triggers.
  (Test-database flushes use TRUNCATE on PostgreSQL, which row triggers do not
  see; on SQLite only UPDATE is refused so flushes keep working.)
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    ALTER TABLE wiki_article
      ADD CONSTRAINT article_approved_revision_is_own
      FOREIGN KEY (approved_revision_id, id) REFERENCES wiki_revision (id, article_id)
      DEFERRABLE INITIALLY DEFERRED
    """,
    """
    CREATE FUNCTION wiki_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER wiki_auditevent_append_only
      BEFORE UPDATE OR DELETE ON wiki_auditevent
      FOR EACH ROW EXECUTE FUNCTION wiki_auditevent_append_only()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER wiki_auditevent_append_only ON wiki_auditevent",
    "DROP FUNCTION wiki_auditevent_append_only()",
    "ALTER TABLE wiki_article DROP CONSTRAINT article_approved_revision_is_own",
]

_SQLITE_OWN_REVISION = """
    WHEN NEW.approved_revision_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM wiki_revision
      WHERE id = NEW.approved_revision_id AND article_id = NEW.id
    )
    BEGIN SELECT RAISE(ABORT, 'an article''s approved revision must be its own'); END
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER article_approved_revision_is_own_update "
    "BEFORE UPDATE OF approved_revision_id ON wiki_article FOR EACH ROW" + _SQLITE_OWN_REVISION,
    "CREATE TRIGGER article_approved_revision_is_own_insert "
    "BEFORE INSERT ON wiki_article FOR EACH ROW" + _SQLITE_OWN_REVISION,
    """
    CREATE TRIGGER wiki_auditevent_append_only BEFORE UPDATE ON wiki_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER article_approved_revision_is_own_update",
    "DROP TRIGGER article_approved_revision_is_own_insert",
    "DROP TRIGGER wiki_auditevent_append_only",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wiki", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
