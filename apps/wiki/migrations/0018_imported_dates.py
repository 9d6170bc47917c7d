"""Imported versions keep their own dates: created_at takes a default instead of
auto_now_add. Nothing changes in the database (Django keeps defaults in Python), so the
change is to the migration state only: on SQLite an AlterField would rebuild the revision
table and drop its guard triggers (0017 had to remake them)."""

from django.db import migrations, models

import apps.wiki.models.content


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0017_pages_carry_title_categories_aliases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="created_at",
                    field=models.DateTimeField(
                        default=apps.wiki.models.content.now, editable=False
                    ),
                ),
                migrations.AlterField(
                    model_name="revision",
                    name="created_at",
                    field=models.DateTimeField(
                        db_index=True, default=apps.wiki.models.content.now, editable=False
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("approved", "Approved"),
                    ("auto-approved", "Approved automatically"),
                    ("rejected", "Rejected"),
                    ("withdrawn", "Withdrawn"),
                    ("merged", "Merged into a newer revision"),
                    ("reverted", "Reverted to an older revision"),
                    ("changes-requested", "Changes requested"),
                    ("part-approved", "Approved in part"),
                    ("carried", "Wrote from a proposal"),
                    ("imported", "Imported from another wiki"),
                ],
                max_length=20,
            ),
        ),
    ]
