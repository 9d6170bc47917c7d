import django.db.models.deletion
from django.db import migrations, models


def tie_to_proposals(apps, schema_editor):
    """Topics already on an unpublished article's talk page belong to their starter's
    newest proposal for it (else its creator's), as new ones will."""
    Topic = apps.get_model("talk", "Topic")
    Revision = apps.get_model("wiki", "Revision")
    for topic in Topic.objects.filter(article__approved_revision__isnull=True).select_related(
        "article"
    ):
        newest = Revision.objects.filter(article_id=topic.article_id).order_by("-created_at", "-pk")
        proposal = (
            newest.filter(author_id=topic.created_by_id).first()
            or newest.filter(author_id=topic.article.created_by_id).first()
        )
        if proposal is not None:
            Topic.objects.filter(pk=topic.pk).update(proposal=proposal)


class Migration(migrations.Migration):
    dependencies = [
        ("talk", "0002_talk_events_are_append_only"),
        ("wiki", "0018_imported_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="proposal",
            field=models.ForeignKey(
                blank=True,
                help_text="Started while the article was unpublished: the proposal it is about. "
                "Only its author and moderators read the topic until that proposal is published.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wiki.revision",
            ),
        ),
        migrations.RunPython(tie_to_proposals, migrations.RunPython.noop),
    ]
