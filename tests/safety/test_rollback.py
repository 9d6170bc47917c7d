"""Mass rollback: a vandal's approved changes since a time undone article by article, later
good edits by others kept, conflicts listed, their pending proposals rejected."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.moderation import services as moderation
from apps.safety import rollback
from apps.wiki.models import ActionKind, Article, ModeratorAction, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = "Line one is good.\n\nLine two is good.\n\nLine three is good."


@pytest.fixture
def vandalised(author, moderator):
    """Ten articles, each edited twice by a vandal (20 approved edits); on the first, a good
    edit by someone else afterwards, in a paragraph the vandal did not touch."""
    vandal = factories.make_user("vandal")
    articles = [
        factories.published_article(author, moderator, title=f"Article {n}", body=GOOD)
        for n in range(10)
    ]
    for article in articles:
        article.refresh_from_db()
        original = article.approved_revision.body
        for damage in ("Line one is VANDALISED.", "Line one is VANDALISED twice."):
            body = original.replace("Line one is good.", damage, 1)
            edit = factories.propose_edit(article, vandal, body=body.replace(" [@1]", ""))
            moderation.revision_approve(revision=edit, moderator=moderator)
    first = articles[0]
    first.refresh_from_db()
    later = factories.propose_edit(
        first, author, body=first.approved_revision.body.replace(" [@1]", "").replace(
            "Line three is good.", "Line three is better.")
    )  # fmt: skip
    moderation.revision_approve(revision=later, moderator=moderator)
    pending = factories.propose_edit(articles[1], vandal, body="More damage.")
    return vandal, articles, pending


def test_twenty_edits_across_ten_articles_are_undone_keeping_a_later_good_edit(
    client, vandalised, moderator
):
    vandal, articles, pending = vandalised
    client.force_login(moderator)
    url = reverse("safety:rollback", args=[vandal.username])
    preview = client.get(url, {"since": "1d"})
    assert preview.status_code == 200
    assert len(preview.context["plans"]) == 10
    assert all(plan.ok for plan in preview.context["plans"])
    assert sum(len(plan.edits) for plan in preview.context["plans"]) == 20
    assert preview.context["pending"] == [pending]
    before = Revision.objects.count()
    assert Revision.objects.count() == before  # the preview wrote nothing

    done = client.post(url, {"since": "1d", "reason": "Vandalism spree"})
    assert done.status_code == 200
    report = done.context["report"]
    assert len(report.done) == 10 and report.rejected == 1 and not report.left
    for article in Article.objects.filter(pk__in=[a.pk for a in articles]):
        body = article.approved_revision.body
        assert "VANDALISED" not in body and "Line one is good." in body
    assert "Line three is better." in Article.objects.get(pk=articles[0].pk).approved_revision.body
    pending.refresh_from_db()
    assert pending.status == RevisionStatus.REJECTED
    assert ModeratorAction.objects.filter(action=ActionKind.ROLLED_BACK, user=vandal).count() == 10


def test_a_conflict_is_listed_and_the_article_left_alone(vandalised, author, moderator):
    vandal, articles, _pending = vandalised
    article = articles[2]
    article.refresh_from_db()
    fixed_by_hand = factories.propose_edit(
        article, author, body=article.approved_revision.body.replace(" [@1]", "").replace(
            "Line one is VANDALISED twice.", "Line one, rewritten.")
    )  # fmt: skip
    moderation.revision_approve(revision=fixed_by_hand, moderator=moderator)
    since = timezone.now() - timedelta(days=1)
    report = rollback.rollback(user=vandal, since=since, moderator=moderator, reason="Spree")
    assert [plan.article.pk for plan in report.left] == [article.pk]
    assert "conflicts" in report.left[0].problem
    article.refresh_from_db()
    assert article.approved_revision == fixed_by_hand  # untouched
    assert len(report.done) == 9


def test_only_moderators_and_never_on_a_moderator(vandalised, fan, moderator, other_moderator):
    vandal = vandalised[0]
    since = timezone.now() - timedelta(days=1)
    with pytest.raises(Exception, match="Only moderators"):
        rollback.rollback(user=vandal, since=since, moderator=fan, reason="x")
    with pytest.raises(Exception, match="one by one"):
        rollback.rollback(user=other_moderator, since=since, moderator=moderator, reason="x")
    fan_client = Client()
    fan_client.force_login(fan)
    assert fan_client.get(reverse("safety:rollback", args=[vandal.username])).status_code == 403


def test_a_rollback_needs_a_reason(client, vandalised, moderator):
    vandal = vandalised[0]
    client.force_login(moderator)
    before = Revision.objects.count()
    response = client.post(reverse("safety:rollback", args=[vandal.username]), {"since": "1d"})
    assert response.status_code == 400
    assert Revision.objects.count() == before


def test_the_preview_costs_the_same_however_many_edits(
    client, vandalised, moderator, django_assert_max_num_queries
):
    """It read each edit's history and citations apart: 100 queries for 20 edits."""
    vandal = vandalised[0]
    client.force_login(moderator)
    url = reverse("safety:rollback", args=[vandal.username])
    client.get(url, {"since": "1d"})
    with django_assert_max_num_queries(12):
        assert len(client.get(url, {"since": "1d"}).context["plans"]) == 10
