"""More rules for the database itself to keep.

- A revision's content never changes, and once decided, nothing of it changes.
- An article's approved revision has the status "approved".

On SQLite, a migration that rebuilds one of these tables drops its triggers;
tests/wiki/test_services.py checks that each guard still holds.
"""

from django.db import migrations

CONTENT_COLUMNS = (
    "article_id",
    "body",
    "summary",
    "author_id",
    "base_id",
    "rendered_html",
    "created_at",
)

_PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT_COLUMNS)
_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT_COLUMNS)

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION wiki_revision_immutable() RETURNS trigger AS $$
    BEGIN
      IF {_PG_CHANGED} OR OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'revisions are immutable; only a pending one can be decided'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER wiki_revision_immutable BEFORE UPDATE ON wiki_revision
      FOR EACH ROW EXECUTE FUNCTION wiki_revision_immutable()
    """,
    """
    CREATE FUNCTION wiki_article_approved_status() RETURNS trigger AS $$
    BEGIN
      IF NEW.approved_revision_id IS NOT NULL AND (
        SELECT status FROM wiki_revision WHERE id = NEW.approved_revision_id
      ) IS DISTINCT FROM 'approved' THEN
        RAISE EXCEPTION 'an article''s approved revision must be approved'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER wiki_article_approved_status
      BEFORE INSERT OR UPDATE OF approved_revision_id ON wiki_article
      FOR EACH ROW EXECUTE FUNCTION wiki_article_approved_status()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER wiki_article_approved_status ON wiki_article",
    "DROP FUNCTION wiki_article_approved_status()",
    "DROP TRIGGER wiki_revision_immutable ON wiki_revision",
    "DROP FUNCTION wiki_revision_immutable()",
]

_SQLITE_APPROVED = """
    WHEN NEW.approved_revision_id IS NOT NULL AND (
      SELECT status FROM wiki_revision WHERE id = NEW.approved_revision_id
    ) IS NOT 'approved'
    BEGIN SELECT RAISE(ABORT, 'an article''s approved revision must be approved'); END
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER wiki_revision_immutable BEFORE UPDATE ON wiki_revision FOR EACH ROW
    WHEN {_SQLITE_CHANGED} OR OLD.status <> 'pending'
    BEGIN SELECT RAISE(ABORT, 'revisions are immutable; only a pending one can be decided'); END
    """,
    "CREATE TRIGGER wiki_article_approved_status_update "
    "BEFORE UPDATE OF approved_revision_id ON wiki_article FOR EACH ROW" + _SQLITE_APPROVED,
    "CREATE TRIGGER wiki_article_approved_status_insert "
    "BEFORE INSERT ON wiki_article FOR EACH ROW" + _SQLITE_APPROVED,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER wiki_article_approved_status_insert",
    "DROP TRIGGER wiki_article_approved_status_update",
    "DROP TRIGGER wiki_revision_immutable",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wiki", "0003_moderators_group")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
