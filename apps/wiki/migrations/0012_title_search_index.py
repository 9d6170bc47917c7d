"""A GIN index over each article's title as a search vector (PostgreSQL only).

Search ranks the articles whose title matches besides a bounded window of the
others (``apps.wiki.search``): this index finds them without reading any stored
document. Its expression must stay what ``apps.wiki.search.title_vector`` compiles to.
"""

from django.db import migrations

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_title_search ON wiki_article "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(title, '')))"
)
DROP_INDEX = "DROP INDEX IF EXISTS article_title_search"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0011_revision_submission_key")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
