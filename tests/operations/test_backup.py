"""export_wiki and import_wiki: a backup restores every row and every page, or nothing."""

import importlib
import io
import json
import re
import tracemalloc

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from apps.accounts.models import Trust, User
from apps.catalog.models import Episode, Season, Show
from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.moderation.models import ReviewThread, TrustChange
from apps.notifications.services import notify
from apps.operations import backup
from apps.talk import services as talk
from apps.wiki import services
from apps.wiki.models import Article, Follow, Revision, RevisionStatus, Statement
from apps.wiki.permissions import MODERATORS_GROUP
from tests import factories

pytestmark = pytest.mark.django_db

WIKI_MODELS = [model for model in backup.MODELS if model is not Group]
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
moderators_migration = importlib.import_module("apps.wiki.migrations.0003_moderators_group")


def export(path, *args):
    call_command("export_wiki", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    return path


def import_(path):
    call_command("import_wiki", str(path), stdout=io.StringIO())


def records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def user_rows(path):
    return [record for record in records(path) if record.get("model") == "accounts.user"]


def counts():
    return {model._meta.label: model.objects.count() for model in WIKI_MODELS}


def nothing():
    return dict.fromkeys(counts(), 0)


# --- a wiki with something of everything ---------------------------------------------


def seed_wiki():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    moderator = User.objects.get(username="demo-moderator")
    fan = factories.make_user("backup-fan")
    fan.user_permissions.add(Permission.objects.get(codename="view_source"))
    article = factories.published_article(
        factories.make_user("backup-author"), moderator, title="Backup trivia", body="Intro."
    )
    pending = factories.propose_edit(article, fan, body="Pending text.")
    moderation.review_claim(revision=pending, moderator=moderator)
    rejected = factories.propose_edit(article, fan, body="Rejected.")
    moderation.revision_reject(revision=rejected, moderator=moderator, reason="Not in the source.")
    returned = factories.propose_edit(article, fan, body="Returned.")
    moderation.thread_start(revision=returned, user=moderator, body="Which *page*?")
    moderation.revision_request_changes(revision=returned, moderator=moderator)
    withdrawn = factories.propose_edit(article, fan, body="Withdrawn.")
    services.revision_withdraw(revision=withdrawn, user=fan)
    add_merged_proposal(article, fan, moderator)
    Follow.objects.create(user=fan, article=article)
    topic = talk.topic_start(article=article, author=fan, title="Which take?", body="The *first*?")
    reply = talk.post_reply(topic=topic, author=moderator, body="Yes.", parent=topic.posts.get())
    talk.post_hide(post=reply, moderator=moderator, reason="Off topic.")
    talk.topic_close(topic=topic, moderator=moderator, reason="Answered.")
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator, reason="Cites.")
    notify(fan, message="Hello 👋\nA note: “quoted”.", url=article.get_absolute_url(), email=False)


def add_merged_proposal(article, fan, moderator):
    text = "Intro.\nJim kisses Pam in the office. It was filmed late.\nEnd.[@1]"
    writer, quick = factories.make_user("writer"), factories.make_user("quick")
    first = factories.propose_edit(article, writer, body=text)
    moderation.revision_approve(revision=first, moderator=moderator)
    stale = factories.propose_edit(article, fan, body=text.replace("late", "at night"))
    newer = factories.propose_edit(article, quick, body=text.replace("Intro.", "Hello."))
    moderation.revision_approve(revision=newer, moderator=moderator)
    moderation.revision_approve_merged(revision=stale, moderator=moderator)


def snapshot_rows():
    """Every row by pk; links to groups and permissions by name, as their ids may change."""
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in WIKI_MODELS}
    rows["user groups"] = sorted(User.groups.through.objects.values_list("user", "group__name"))
    rows["user permissions"] = sorted(
        User.user_permissions.through.objects.values_list("user", "permission__codename")
    )
    rows["group permissions"] = sorted(
        Group.permissions.through.objects.values_list("group__name", "permission__codename")
    )
    rows["statement citations"] = sorted(
        Statement.citations.through.objects.values_list("statement", "citation")
    )
    return rows


def snapshot_pages(client):
    """What an anonymous reader gets for every article, its history, and every source.

    Sources that no approved text cites are not shown to readers (404): kept as such.
    """
    cache.clear()
    urls = [reverse("wiki:source", args=[pk]) for pk in Source.objects.values_list("pk", flat=True)]
    for slug in Article.objects.values_list("slug", flat=True):
        urls += [reverse("wiki:article", args=[slug]), reverse("wiki:article-history", args=[slug])]
    pages = {url: client.get(url) for url in urls}
    return {url: (page.status_code, unmasked(page.content.decode())) for url, page in pages.items()}


def unmasked(html):
    """The page without its CSRF token, which is masked afresh for every response."""
    return CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def flush_database():
    """Empty every table, then bring back the group the data migration makes."""
    call_command("flush", interactive=False, verbosity=0)
    moderators_migration.create_group(apps, None)


@pytest.mark.django_db(transaction=True)
def test_a_restored_wiki_has_every_row_and_every_page(client, tmp_path):
    seed_wiki()
    rows, pages = snapshot_rows(), snapshot_pages(client)
    assert [status for status, _ in pages.values()].count(200) >= 5
    assert {row["status"] for row in rows["wiki.Revision"]} == set(RevisionStatus.values)
    # With the hashes, so that every column of every row can be compared.
    path = export(tmp_path / "wiki.jsonl", "--with-passwords")
    flush_database()
    assert counts() == nothing()

    import_(path)

    assert snapshot_rows() == rows
    assert snapshot_pages(client) == pages
    assert Group.objects.filter(name=MODERATORS_GROUP).count() == 1


@pytest.mark.django_db(transaction=True)
def test_new_rows_after_a_restore_get_fresh_ids(tmp_path):
    moderator = factories.make_user("moderator", moderator=True)
    article = factories.published_article(factories.make_user("author"), moderator)
    path = export(tmp_path / "wiki.jsonl", "--with-passwords")
    last_revision = Revision.objects.latest("pk").pk
    flush_database()
    import_(path)

    fan = factories.make_user("fan")
    proposal = factories.propose_edit(Article.objects.get(pk=article.pk), fan)
    assert proposal.pk > last_revision
    assert fan.pk > moderator.pk and fan.pk > User.objects.get(username="author").pk


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_before_moderation_kept_its_own_records_still_loads(tmp_path):
    """Review threads, claims and trust changes were wiki's models when older files were
    written: those files name them so, and load all the same."""
    moderator = factories.make_user("moderator", moderator=True)
    fan = factories.make_user("fan")
    proposal = factories.propose_edit(factories.published_article(fan, moderator), fan)
    moderation.thread_start(revision=proposal, user=moderator, body="Which minute?")
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator, reason="Sure")
    # Permissions on the moved models travel by natural key, the app label in it too.
    readers = Group.objects.create(name="Readers of trust changes")
    readers.permissions.add(Permission.objects.get(codename="view_trustchange"))
    fan.user_permissions.add(Permission.objects.get(codename="view_reviewthread"))
    written = records(export(tmp_path / "wiki.jsonl"))

    def as_before(name):
        moved = name.startswith("moderation.") and name != "moderation.protectionchange"
        return "wiki." + name.partition(".")[2] if moved else name

    older = tmp_path / "older.jsonl"
    lines = []
    for record in written:
        if "model" in record:
            record["model"] = as_before(record["model"])
            fields = record.get("fields", {})
            for name in ("permissions", "user_permissions"):
                if name in fields:
                    fields[name] = [
                        [codename, *as_before(f"{label}.{model}").split(".")]
                        for codename, label, model in fields[name]
                    ]
        if "counts" in record:  # the final line; no protection record existed then
            record["counts"] = {
                as_before(name): count
                for name, count in record["counts"].items()
                if name != "moderation.protectionchange"
            }
        lines.append(json.dumps(record))
    older.write_text("\n".join(lines) + "\n")
    assert '"model": "wiki.reviewthread"' in older.read_text()
    flush_database()

    import_(older)

    assert ReviewThread.objects.get().comments.get().body == "Which minute?"
    assert TrustChange.objects.get().reason == "Sure"
    assert Revision.objects.get(pk=proposal.pk).review_threads.count() == 1
    assert User.objects.get(pk=fan.pk).has_perm("moderation.view_reviewthread")
    assert Group.objects.get(name="Readers of trust changes").permissions.get().codename == (
        "view_trustchange"
    )


# --- refusals: nothing is written ------------------------------------------------------


def small_backup(path, *args):
    """A backup of a few rows, the database emptied again afterwards."""
    source = factories.make_source(created_by=factories.make_user("fan", moderator=True))
    factories.make_episode()
    export(path, *args)
    empty_small_tables()
    return source


def empty_small_tables():
    # Revisions, articles and the rest are guarded; these tests never make them.
    for model in (Revision, Article, Source, Episode, Season, Show, User):
        model.objects.all().delete()


def test_it_refuses_a_database_that_is_not_empty(tmp_path):
    path = tmp_path / "wiki.jsonl"
    small_backup(path)
    factories.make_user("someone")
    before = counts()
    with pytest.raises(CommandError, match="database is not empty"):
        import_(path)
    assert counts() == before


def drop_final_line(lines):
    return lines[:-1]


def cut_mid_line(lines):
    text = "\n".join(lines)
    return [text[: len(text) - len(lines[-1]) - 20]]


def drop_a_row(lines):
    return [lines[0], *lines[2:]]


def next_version(lines):
    header = json.loads(lines[0])
    return [json.dumps({**header, "version": backup.VERSION + 1}), *lines[1:]]


def point_at_a_missing_row(lines):
    season = next(line for line in lines if json.loads(line).get("model") == "catalog.season")
    record = json.loads(season)
    record["fields"]["show"] = 999
    return [json.dumps(record) if line == season else line for line in lines]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (drop_final_line, "truncated"),
        (cut_mid_line, "not valid JSON"),
        (drop_a_row, "corrupt"),
        (next_version, f"version {backup.VERSION + 1}"),
        (point_at_a_missing_row, "Nothing was imported"),
    ],
)
def test_it_refuses_a_damaged_file_and_writes_nothing(tmp_path, damage, message):
    path = tmp_path / "wiki.jsonl"
    small_backup(path)
    path.write_text("\n".join(damage(path.read_text().splitlines())) + "\n")
    with pytest.raises(CommandError, match=message):
        import_(path)
    assert counts() == nothing()


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('{"hello": "world"}\n')
    with pytest.raises(CommandError, match="not a fanwiki-backup file"):
        import_(path)


# --- passwords -------------------------------------------------------------------------


def test_password_hashes_are_left_out_by_default(tmp_path):
    path = tmp_path / "wiki.jsonl"
    small_backup(path)
    assert [row["fields"].get("password") for row in user_rows(path)] == [None]


def test_a_user_restored_without_a_hash_cannot_log_in(client, tmp_path):
    path = tmp_path / "wiki.jsonl"
    small_backup(path)
    import_(path)
    fan = User.objects.get(username="fan")
    assert not fan.has_usable_password()
    assert not factories.log_in(client, "fan")
    assert list(fan.groups.values_list("name", flat=True)) == [MODERATORS_GROUP]


def test_a_user_restored_with_the_hash_can_log_in(client, tmp_path):
    path = tmp_path / "wiki.jsonl"
    small_backup(path, "--with-passwords")
    assert user_rows(path)[0]["fields"]["password"].startswith("md5$")
    import_(path)
    assert factories.log_in(client, "fan")
    assert Group.objects.filter(name=MODERATORS_GROUP).count() == 1
    assert User.objects.get(username="fan").groups.get().name == MODERATORS_GROUP


# --- the file and its order --------------------------------------------------------------


def test_it_writes_to_standard_output_with_a_header_and_a_final_count(tmp_path):
    factories.make_episode()
    out, err = io.StringIO(), io.StringIO()
    call_command("export_wiki", "-", stdout=out, stderr=err)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["format"] == backup.BACKUP_FORMAT and lines[0]["version"] == backup.VERSION
    assert lines[-1]["end"] is True
    assert lines[-1]["counts"]["catalog.episode"] == 1
    assert len(lines) == 2 + sum(lines[-1]["counts"].values())
    assert "Exported" in err.getvalue()


def test_every_model_of_the_project_is_in_the_backup():
    ours = {
        model
        for config in apps.get_app_configs()
        if config.name.startswith("apps.")
        for model in config.get_models()
    }
    assert ours <= set(backup.MODELS)


def test_every_foreign_key_points_at_a_model_written_before():
    for index, model in enumerate(backup.MODELS):
        for field in model._meta.concrete_fields:
            if field.is_relation and (model, field.name) != (Article, "approved_revision"):
                assert backup.MODELS.index(field.related_model) <= index, (model, field.name)


# --- size: memory and queries do not grow with the wiki ----------------------------------


def add_revisions(article, count):
    text = "Jim and Pam. " * 200
    Revision.objects.bulk_create(
        Revision(
            article=article, author=article.created_by, body=text, summary="Bulk", title="Bulk"
        )
        for _ in range(count)
    )


def unpublished_article():
    author = factories.make_user("author")
    return Article.objects.create(title="Bulk", slug="bulk", created_by=author)


class Discard:
    def write(self, text):
        return len(text)


def export_peak():
    tracemalloc.start()
    try:
        backup.export_wiki(Discard(), chunk_size=50)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_memory_stays_flat_as_the_wiki_grows():
    article = unpublished_article()
    add_revisions(article, 200)
    backup.export_wiki(Discard())  # imports and caches filled once, outside the measurement
    small = export_peak()
    add_revisions(article, 1800)
    large = export_peak()
    assert large < 1.5 * small, (small, large)


def test_import_inserts_in_batches(tmp_path, django_assert_max_num_queries):
    article = unpublished_article()
    add_revisions(article, 1000)
    path = export(tmp_path / "wiki.jsonl")
    empty_small_tables()
    # Batches, not a query per row: SQLite binds at most 999 values a query, so the
    # batches of 1,000 revisions (20 columns) take a few dozen queries.
    with django_assert_max_num_queries(125):  # a few per model (41 of them), not per row
        import_(path)
    assert Revision.objects.count() == 1000
