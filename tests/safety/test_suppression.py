"""Suppression (oversight): a revision's text, summary or author name, gone from every page,
feed, search, API answer, notification and export for everyone but oversighters."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from apps.api.models import Webhook, WebhookDelivery
from apps.moderation import services as moderation
from apps.notifications.models import Notification
from apps.safety import suppression
from apps.safety.models import Suppression
from apps.wiki import services
from apps.wiki.models import ActionKind, Follow, ModeratorAction, Revision
from apps.wiki.search import plain_text_key
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_LINE = "The actor who played the extra lives at 12 Hidden Lane, Scranton."
SECRET_SUMMARY = "add the home address of the extra"
DOXXER = "doxx-er-99"


@pytest.fixture
def oversighter(db):
    user = factories.make_user("oversighter", moderator=True)
    user.groups.add(Group.objects.get_or_create(name="Oversighters")[0])
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="oversee_revision"))
    return type(user).objects.get(pk=user.pk)  # permissions read afresh


@pytest.fixture
def doxxed(article, moderator, fan, author):
    """An approved version that doxxes someone, then a good one on top (the current)."""
    doxxer = factories.make_user(DOXXER)
    Follow.objects.create(user=fan, article=article)
    events = ["proposal.submitted", "proposal.decided", "revision.published"]
    Webhook.objects.create(
        url="https://hooks.example/x", events=events, secret="s" * 32, created_by=moderator
    )
    bad = services.revision_propose(
        article=article,
        author=doxxer,
        body=f"Original text. [@1]\n\n{SECRET_LINE} [@1]",
        summary=SECRET_SUMMARY,
        citations=[factories.cite(article.approved_revision.citations.get().source)],
        base=article.approved_revision,
    )
    moderation.revision_approve(revision=bad, moderator=moderator)
    good = factories.propose_edit(article, author, body="Original text, without it.")
    moderation.revision_approve(revision=good, moderator=moderator)
    article.refresh_from_db()
    assert article.approved_revision == good
    return bad


def leaks(text: str) -> list[str]:
    return [s for s in (SECRET_LINE, SECRET_SUMMARY, "12 Hidden Lane", DOXXER) if s in text]


def test_a_suppressed_revision_appears_nowhere_but_to_oversight(
    doxxed, article, oversighter, fan, moderator, staff, tmp_path
):
    suppression.revision_suppress(revision=doxxed, oversighter=oversighter, text=True,
                                  summary=True, author=True, reason="Doxxing")  # fmt: skip
    good = article.approved_revision
    pages = [
        article.get_absolute_url(),
        reverse("wiki:article-history", args=[article.slug]),
        doxxed.get_absolute_url(),
        reverse("wiki:article-compare", args=[article.slug]) + f"?from={doxxed.pk}&to={good.pk}",
        reverse("wiki:article-compare", args=[article.slug]) + f"?to={doxxed.pk}",
        reverse("wiki:recent"),
        reverse("wiki:recent-feed"),
        reverse("wiki:search") + "?q=Hidden+Lane",
        reverse("wiki:article-list"),
        reverse("home"),
        f"/api/v1/articles/{article.slug}/history",
        f"/api/v1/revisions/{doxxed.pk}",
        f"/api/v1/articles/{article.slug}/compare?to={good.pk}&from={doxxed.pk}",
        "/api/v1/recent",
        "/api/v1/search?q=Hidden",
    ]
    readers = {"anonymous": Client()}
    for name, user in {"fan": fan, "moderator": moderator, "staff": staff}.items():
        readers[name] = Client()
        readers[name].force_login(user)
    found = {}
    for name, reader in readers.items():
        for url in pages:
            response = reader.get(url)
            assert response.status_code in (200, 404), (name, url, response.status_code)
            body = b"".join(response) if response.streaming else response.content
            if leaked := leaks(body.decode()):
                found[(name, url)] = leaked
    # Moderators' pages and the admin (a non-oversighting moderator and staff).
    for url in [
        reverse("moderation:audit"),
        reverse("moderation:audit") + "?log=actions",
        reverse("admin:wiki_revision_change", args=[doxxed.pk]),
        reverse("admin:wiki_revision_changelist"),
        reverse("admin:wiki_auditevent_changelist"),
        reverse("notifications:list"),
    ]:
        for name in ("moderator", "staff", "fan"):
            body = readers[name].get(url).content.decode()
            if leaked := leaks(body):
                found[(name, url)] = leaked
    assert found == {}
    # Their profile (their name, of course) no longer lists the version.
    profile = Client().get(reverse("wiki:profile", args=[DOXXER])).content.decode()
    assert doxxed.get_absolute_url() not in profile and not leaks(profile.replace(DOXXER, ""))
    # Stored notifications and webhook bodies quoted the summary: rewritten.
    assert not any(leaks(n.message + n.folded_message) for n in Notification.objects.all())
    assert [leaks(d.body) for d in WebhookDelivery.objects.all() if leaks(d.body)] == []
    assert WebhookDelivery.objects.exists()
    # Exports: the backup and the MediaWiki dump.
    out = io.StringIO()
    call_command("export_wiki", "-", stdout=out, stderr=io.StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    about_it = [
        row
        for row in rows
        if row.get("model") in ("wiki.revision", "wiki.auditevent")
        and doxxed.pk in (row.get("pk"), row.get("fields", {}).get("revision"))
    ]
    assert len(about_it) >= 3
    doxxer_pk = type(fan).objects.get(username=DOXXER).pk
    assert not [row for row in about_it if doxxer_pk in row["fields"].values()]
    other = [
        line
        for line in out.getvalue().splitlines()
        if DOXXER in line and '"accounts.user"' not in line
    ]
    assert other == []
    dump = tmp_path / "dump.xml"
    call_command("export_mediawiki", str(dump), stdout=io.StringIO())
    assert leaks(dump.read_text()) == []
    # What an oversighter sees, and what a backup keeps only when asked.
    mine = Client()
    mine.force_login(oversighter)
    page = mine.get(reverse("safety:oversight", args=[doxxed.pk])).content.decode()
    assert SECRET_LINE in page and SECRET_SUMMARY in page and DOXXER in page
    full = io.StringIO()
    call_command("export_wiki", "-", "--with-suppressed", stdout=full, stderr=io.StringIO())
    assert SECRET_LINE in full.getvalue()


def test_the_current_text_cannot_be_suppressed_without_a_replacement(article, oversighter):
    with pytest.raises(ValidationError, match="publish a replacement first"):
        suppression.revision_suppress(revision=article.approved_revision, oversighter=oversighter,
                                      text=True, reason="x")  # fmt: skip
    # Its summary can.
    suppression.revision_suppress(revision=article.approved_revision, oversighter=oversighter,
                                  summary=True, reason="x")  # fmt: skip


def test_only_oversighters_and_every_step_is_on_the_restricted_record(
    doxxed, oversighter, moderator, client
):
    with pytest.raises(PermissionDenied):
        suppression.revision_suppress(revision=doxxed, oversighter=moderator, text=True, reason="x")
    client.force_login(moderator)
    assert client.get(reverse("safety:oversight", args=[doxxed.pk])).status_code == 403
    suppression.revision_suppress(revision=doxxed, oversighter=oversighter, summary=True,
                                  reason="The summary names the address")  # fmt: skip
    suppression.revision_unsuppress(revision=doxxed, oversighter=oversighter, summary=True,
                                    reason="Mistaken")  # fmt: skip
    doxxed.refresh_from_db()
    assert doxxed.summary == SECRET_SUMMARY
    records = list(ModeratorAction.objects.order_by("id"))
    assert [(r.action, r.restricted) for r in records] == [
        (ActionKind.SUPPRESSED, True),
        (ActionKind.UNSUPPRESSED, True),
    ]
    log = client.get(reverse("moderation:audit"), {"log": "actions"}).content.decode()
    assert "The summary names the address" not in log and "For oversighters only" in log


def test_putting_back_restores_everything(doxxed, oversighter):
    author = doxxed.author
    suppression.revision_suppress(revision=doxxed, oversighter=oversighter, text=True,
                                  summary=True, author=True, reason="Doxxing")  # fmt: skip
    doxxed.refresh_from_db()
    assert SECRET_LINE not in doxxed.body and doxxed.author != author
    suppression.revision_unsuppress(revision=doxxed, oversighter=oversighter, text=True,
                                    summary=True, author=True, reason="Cleared")  # fmt: skip
    doxxed.refresh_from_db()
    assert SECRET_LINE in doxxed.body and doxxed.author == author
    assert doxxed.summary == SECRET_SUMMARY
    assert not Suppression.objects.get(revision=doxxed).parts


def test_the_database_still_refuses_any_other_change_to_a_revision(doxxed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(pk=doxxed.pk).update(body="rewritten")


def test_search_forgets_the_plain_text_it_kept_of_a_suppressed_version(
    doxxed, oversighter, django_capture_on_commit_callbacks
):

    key = plain_text_key(doxxed)
    cache.set(key, f"kept while it was the approved text: {SECRET_LINE}")
    with django_capture_on_commit_callbacks(execute=True):
        suppression.revision_suppress(
            revision=doxxed, oversighter=oversighter, text=True, reason="Doxxing"
        )
    assert cache.get(key) is None
