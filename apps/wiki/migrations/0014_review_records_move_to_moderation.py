"""Review records move to the moderation app: the state only (the tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0013_review_threads"),
    ]

    # Review threads and comments, claims and trust changes belong to moderation now
    # (apps/moderation/migrations/0001): the same tables, taken over there without being
    # touched here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="reviewcomment",
                    name="applied_in",
                ),
                migrations.RemoveField(
                    model_name="reviewcomment",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="reviewcomment",
                    name="thread",
                ),
                migrations.RemoveField(
                    model_name="reviewthread",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="reviewthread",
                    name="resolved_by",
                ),
                migrations.RemoveField(
                    model_name="reviewthread",
                    name="revision",
                ),
                migrations.RemoveField(
                    model_name="reviewthread",
                    name="started_on",
                ),
                migrations.RemoveField(
                    model_name="trustchange",
                    name="actor",
                ),
                migrations.RemoveField(
                    model_name="trustchange",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="ReviewClaim",
                ),
                migrations.DeleteModel(
                    name="ReviewComment",
                ),
                migrations.DeleteModel(
                    name="ReviewThread",
                ),
                migrations.DeleteModel(
                    name="TrustChange",
                ),
            ],
            database_operations=[],
        ),
    ]
