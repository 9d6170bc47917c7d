"""Moderation's records: review threads and comments, claims and trust changes taken over
from wiki with their tables, and the new record of protection changes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from apps.web.appendonly import append_only

MOVED = ("reviewclaim", "reviewthread", "reviewcomment", "trustchange")


def _content_types(source, target):
    """Move the models' content types, and so the permissions staff were given on them."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        taken = set(
            ContentType.objects.filter(app_label=target, model__in=MOVED).values_list(
                "model", flat=True
            )
        )
        ContentType.objects.filter(app_label=source, model__in=MOVED).exclude(
            model__in=taken
        ).update(app_label=target)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wiki", "0014_review_records_move_to_moderation"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Taken over from wiki (its 0014 forgets them): the tables exist already.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewClaim",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("claimed_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        (
                            "moderator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="review_claims",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "revision",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="claim",
                                to="wiki.revision",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wiki_reviewclaim",
                    },
                ),
                migrations.CreateModel(
                    name="ReviewThread",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "anchor",
                            models.CharField(
                                choices=[
                                    ("proposal", "The proposal as a whole"),
                                    ("lines", "Lines of the text"),
                                    ("citation", "A citation"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "side",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("new", "The proposal's text"),
                                    ("old", "The approved text it changes"),
                                ],
                                max_length=3,
                            ),
                        ),
                        ("line_start", models.PositiveIntegerField(blank=True, null=True)),
                        ("line_end", models.PositiveIntegerField(blank=True, null=True)),
                        (
                            "anchor_text",
                            models.TextField(
                                blank=True,
                                help_text="The commented lines as they read when the thread started.",
                            ),
                        ),
                        (
                            "quote",
                            models.TextField(
                                blank=True,
                                help_text="The words within those lines it is about; empty: the whole lines.",
                            ),
                        ),
                        ("citation_key", models.PositiveSmallIntegerField(blank=True, null=True)),
                        (
                            "outdated",
                            models.BooleanField(
                                default=False,
                                help_text="The commented lines are no longer in the revised proposal.",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "resolved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "revision",
                            models.ForeignKey(
                                help_text="The proposal the thread is on now: the author's latest revision of it.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="review_threads",
                                to="wiki.revision",
                            ),
                        ),
                        (
                            "started_on",
                            models.ForeignKey(
                                help_text="The proposal the thread was started on.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="wiki.revision",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wiki_reviewthread",
                        "ordering": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="ReviewComment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("body", models.TextField()),
                        ("rendered_html", models.TextField(editable=False)),
                        (
                            "suggestion",
                            models.TextField(
                                blank=True,
                                help_text="A replacement for the thread's quoted words (or lines); empty: none.",
                                null=True,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "applied_in",
                            models.ForeignKey(
                                blank=True,
                                help_text="The revised proposal that took this suggestion.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="wiki.revision",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="review_comments",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "thread",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="comments",
                                to="moderation.reviewthread",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wiki_reviewcomment",
                        "ordering": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="TrustChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("trust", models.CharField(max_length=20)),
                        ("reason", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="trust_changes",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wiki_trustchange",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="reviewthread",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("anchor", "lines"), _negated=True),
                            models.Q(
                                ("line_end__gte", models.F("line_start")),
                                ("line_start__gte", 1),
                                ("side__in", ["new", "old"]),
                            ),
                            _connector="OR",
                        ),
                        name="reviewthread_lines_anchor",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="reviewthread",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("anchor", "citation"), _negated=True),
                            ("citation_key__isnull", False),
                            _connector="OR",
                        ),
                        name="reviewthread_citation_anchor",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="reviewthread",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("resolved_at__isnull", True), ("resolved_by__isnull", True)),
                            models.Q(
                                ("resolved_at__isnull", False), ("resolved_by__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="reviewthread_resolution_stamped",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="ProtectionChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("open", "Open: any signed-up fan may propose"),
                            ("trusted", "Trusted fans and moderators only"),
                            ("moderators", "Moderators only"),
                        ],
                        max_length=20,
                    ),
                ),
                ("expires_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="protection_changes",
                        to="wiki.article",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["article", "-created_at", "-id"], name="protectionchange_article"
                    )
                ],
            },
        ),
        # Their own names from now on (moderation_*): a rename, the rows untouched.
        migrations.RunPython(
            _content_types("wiki", "moderation"), _content_types("moderation", "wiki")
        ),
        migrations.AlterModelTable(name="reviewclaim", table=None),
        migrations.AlterModelTable(name="reviewcomment", table=None),
        migrations.AlterModelTable(name="reviewthread", table=None),
        migrations.AlterModelTable(name="trustchange", table=None),
        append_only("moderation_trustchange", what="trust changes"),
        append_only("moderation_protectionchange", what="protection changes"),
    ]
