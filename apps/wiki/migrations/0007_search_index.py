"""A GIN index for full-text search of revision bodies, on PostgreSQL only.

No table changes here: on SQLite a table rebuild would drop the guard triggers
(see 0006). The index expression must stay exactly what ``apps.wiki.search``
filters on (``to_tsvector('english', body)``), or PostgreSQL will not use it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS revision_body_search "
    "ON wiki_revision USING GIN (to_tsvector('english', body))"
)
DROP = "DROP INDEX IF EXISTS revision_body_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0006_moderation_at_full_strength")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
