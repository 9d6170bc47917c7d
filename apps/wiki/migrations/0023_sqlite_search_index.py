"""SQLite's own full-text index (FTS5) for search, filled with the published articles.

On SQLite, search scanned every approved body for each word of the query (half a
second and more at 10,000 articles). The index is a virtual table keyed by the
article's id: title, other names and approved text (as plain text, without its
Markdown), tokenised with Porter
stemming and without diacritics. ``apps.wiki.search.refresh_search_documents``
keeps it as it keeps PostgreSQL's stored document: in the transaction that
publishes a revision. Nothing happens on PostgreSQL.
"""

from django.db import migrations

from apps.markup import plain_text

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS wiki_article_search USING fts5("
    "title, aliases, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE)
    Article = apps.get_model("wiki", "Article")
    rows = (
        Article.objects.filter(approved_revision__isnull=False)
        .values_list("pk", "title", "approved_revision__aliases", "approved_revision__body")
        .iterator(chunk_size=500)
    )
    rows = [(pk, title, aliases, plain_text(body)) for pk, title, aliases, body in rows]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO wiki_article_search (rowid, title, aliases, body) VALUES (%s, %s, %s, %s)",
            rows,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS wiki_article_search")


class Migration(migrations.Migration):
    dependencies = [("wiki", "0022_oversight_may_suppress")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
