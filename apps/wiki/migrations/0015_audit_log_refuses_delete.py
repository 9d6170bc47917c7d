"""The audit log refuses DELETE on SQLite too (PostgreSQL has refused it since 0002):
the same triggers as every history table (apps.web.appendonly)."""

from django.db import migrations

from apps.web.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("wiki", "0014_review_records_move_to_moderation")]

    operations = [append_only("wiki_auditevent", what="audit events", replace=True)]
