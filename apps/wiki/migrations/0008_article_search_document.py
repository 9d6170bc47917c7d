"""Search reads a stored document per article instead of parsing revision bodies.

The column is nullable with no default, so SQLite adds it with ALTER TABLE ADD
COLUMN: no table rebuild, the guard triggers of 0002/0004/0006 stay. On
PostgreSQL the document gets a GIN index and is filled for published articles,
and the index over every revision body (0007) goes: search never reads
superseded text any more. The document's expression must stay what
``apps.wiki.search.refresh_search_documents`` stores.
"""

import django.contrib.postgres.search
from django.db import migrations

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_search_document ON wiki_article USING GIN (search_document)"
)
DROP_INDEX = "DROP INDEX IF EXISTS article_search_document"
DROP_BODY_INDEX = "DROP INDEX IF EXISTS revision_body_search"
CREATE_BODY_INDEX = (
    "CREATE INDEX IF NOT EXISTS revision_body_search "
    "ON wiki_revision USING GIN (to_tsvector('english', body))"
)
FILL = """
    UPDATE wiki_article AS a
    SET search_document =
        setweight(to_tsvector('english'::regconfig, COALESCE(a.title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(r.body, '')), 'B')
    FROM wiki_revision AS r
    WHERE r.id = a.approved_revision_id
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute(DROP_BODY_INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_BODY_INDEX)
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0007_search_index")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
