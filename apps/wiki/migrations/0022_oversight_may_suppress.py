"""Revisions stay immutable in the database, but for oversight: inside
apps.web.appendonly.overseeing(), a revision's body, rendered HTML, summary and author
may be replaced (suppressed, or put back), and nothing else of it."""

import importlib

from django.db import migrations

from apps.web.appendonly import OVERSIGHT_FUNCTION, OVERSIGHT_SETTING

_before = importlib.import_module("apps.wiki.migrations.0017_pages_carry_title_categories_aliases")

CONTENT = _before.CONTENT_COLUMNS
SUPPRESSIBLE = ("body", "rendered_html", "summary", "author_id")
DECISION = ("status", "decided_by_id", "decided_at", "decision_reason", "reason_code", "automatic")
OTHERS = tuple(c for c in CONTENT if c not in SUPPRESSIBLE) + DECISION
MESSAGE = _before.MESSAGE


def _sqlite(columns_changed, others_changed):
    return f"""
        CREATE TRIGGER wiki_revision_immutable BEFORE UPDATE ON wiki_revision FOR EACH ROW
        WHEN ({columns_changed} OR OLD.status <> 'pending')
          AND NOT ({OVERSIGHT_FUNCTION}() AND NOT ({others_changed}))
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """


def _postgres(columns_changed, others_changed):
    return f"""
        CREATE OR REPLACE FUNCTION wiki_revision_immutable() RETURNS trigger AS $$
        BEGIN
          IF ({columns_changed} OR OLD.status <> 'pending')
             AND NOT (coalesce(current_setting('{OVERSIGHT_SETTING}', true), '') = 'on'
                      AND NOT ({others_changed})) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """


def _guard(with_oversight):
    def make(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
            others = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in OTHERS)
            schema_editor.execute("DROP TRIGGER IF EXISTS wiki_revision_immutable")
            schema_editor.execute(
                _sqlite(changed, others) if with_oversight else _before._sqlite_immutable(CONTENT)
            )
        elif vendor == "postgresql":
            changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT)
            others = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in OTHERS)
            schema_editor.execute(
                _postgres(changed, others)
                if with_oversight
                else _before._postgres_immutable(CONTENT)
            )

    return make


OVERSIGHTERS = "Oversighters"


def create_group(apps, schema_editor):
    """Oversight is its own permission, in its own group: a moderator is not an oversighter
    unless staff add them (permissions are made after migrations; this one must exist now)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="wiki", model="revision")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="oversee_revision",
        defaults={"name": "Can suppress revisions' text, summary or author (oversight)"},
    )
    Group.objects.get_or_create(name=OVERSIGHTERS)[0].permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=OVERSIGHTERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0021_revision_tags"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(_guard(True), _guard(False)),
        migrations.RunPython(create_group, remove_group),
    ]
