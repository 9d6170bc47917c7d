"""A version carries its article's title, categories and other names; redirects.

SQLite rebuilds wiki_revision for the new columns, and refuses to rebuild a table
that another table's trigger refers to: the guards on and about it are dropped
first and made again last, the immutable one with the new columns (PostgreSQL's
function learns them too). Existing versions take their article's title.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

_guards = importlib.import_module("apps.wiki.migrations.0002_database_guards")
_revision_guards = importlib.import_module("apps.wiki.migrations.0004_revision_guards")
_full = importlib.import_module("apps.wiki.migrations.0006_moderation_at_full_strength")

BEFORE = _full.CONTENT_COLUMNS
CONTENT_COLUMNS = (*BEFORE, "title", "categories", "aliases")
SQLITE_TRIGGERS = [
    "article_approved_revision_is_own_update",
    "article_approved_revision_is_own_insert",
    "wiki_revision_immutable",
    "wiki_article_approved_status_update",
    "wiki_article_approved_status_insert",
]
MESSAGE = "revisions are immutable; only a pending one can be decided"


def _sqlite_immutable(columns):
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    return f"""
        CREATE TRIGGER wiki_revision_immutable BEFORE UPDATE ON wiki_revision FOR EACH ROW
        WHEN {changed} OR OLD.status <> 'pending'
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """


def _postgres_immutable(columns):
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    return f"""
        CREATE OR REPLACE FUNCTION wiki_revision_immutable() RETURNS trigger AS $$
        BEGIN
          IF {changed} OR OLD.status <> 'pending' THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """


def drop_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE wiki_revision DISABLE TRIGGER wiki_revision_immutable")


def _make_guards(columns):
    def make(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for statement in [
                *_guards.SQLITE_FORWARD[:2],
                *_revision_guards.SQLITE_FORWARD[1:],
                _sqlite_immutable(columns),
            ]:
                schema_editor.execute(statement)
        elif vendor == "postgresql":
            schema_editor.execute(_postgres_immutable(columns))
            schema_editor.execute(
                "ALTER TABLE wiki_revision ENABLE TRIGGER wiki_revision_immutable"
            )

    return make


def titles_from_articles(apps, schema_editor):
    schema_editor.execute(
        "UPDATE wiki_revision SET title = "
        "(SELECT title FROM wiki_article WHERE wiki_article.id = wiki_revision.article_id)"
    )


class Migration(migrations.Migration):
    dependencies = [("wiki", "0016_audit_action_carried")]

    operations = [
        migrations.RunPython(drop_guards, _make_guards(BEFORE)),
        migrations.AddField(
            model_name="revision",
            name="title",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="revision",
            name="categories",
            field=models.TextField(
                blank=True, default="", help_text="Category names, one per line (“Name|sort key”)."
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="aliases",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Other titles of the article, one per line.",
                verbose_name="other names",
            ),
        ),
        migrations.RunPython(titles_from_articles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(("title", ""), _negated=True), name="revision_has_title"
            ),
        ),
        migrations.RunPython(_make_guards(CONTENT_COLUMNS), drop_guards),
        migrations.CreateModel(
            name="Redirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=200, unique=True)),
                (
                    "title",
                    models.CharField(help_text="The name as it was written.", max_length=200),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("moved", "Former title"), ("alias", "Other name")], max_length=10
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redirects",
                        to="wiki.article",
                    ),
                ),
            ],
            options={
                "ordering": ["title"],
                "indexes": [models.Index(fields=["article", "kind"], name="redirect_article_kind")],
            },
        ),
    ]
