import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings

from apps.accounts.models import User
from apps.catalog.models import Episode, Show
from apps.citations.models import Source, SourceKind
from apps.moderation import services as moderation
from apps.moderation.models import ReviewThread
from apps.operations import demo_content
from apps.talk.models import Topic
from apps.wiki.models import Article, AuditEvent, Citation, Revision, RevisionStatus
from apps.wiki.permissions import MODERATORS_GROUP, can_moderate
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "casino-night-first-kiss-trivia"
DIRECTING_CHOICE = (
    "'The Office': The Interesting Directing Choice Made to Ensure Jim and Pam's First Kiss "
    "Was 'One of the Best First Kisses on Television'"
)
STORY_BEHIND = "The Story Behind Jim & Pam's First Kiss On 'The Office' Is Ridiculously Cute"
COUNTED = (Show, Episode, Source, Article, Revision, Citation, User, AuditEvent)


def seed(debug=True):
    out = io.StringIO()
    # The test run has DEBUG off (pytest-django forces it); the demo accounts need it on.
    with override_settings(DEBUG=debug):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def approved_revision():
    return Article.objects.get(slug=SLUG).approved_revision


def test_it_creates_the_episode():
    seed()
    episode = Episode.objects.get(season__show__slug="the-office", season__number=2, number=22)
    assert episode.title == "Casino Night"
    assert str(episode.air_date) == "2006-05-11"
    assert episode.season.show.first_aired == 2005


def test_it_publishes_the_article_through_the_services():
    seed()
    article = Article.objects.get(slug=SLUG)
    revision = article.approved_revision
    assert article.episode.title == "Casino Night"
    assert revision.status == RevisionStatus.APPROVED
    assert revision.author.username == "demo-fan"
    assert revision.decided_by.username == "demo-moderator"
    assert "Kwapis" in revision.body
    assert "Kwapis" in revision.rendered_html
    assert list(AuditEvent.objects.filter(revision=revision).values_list("action", flat=True)) == [
        "approved",
        "proposed",
    ]


def test_every_citation_has_a_quote_or_a_locator():
    seed()
    citations = Citation.objects.all()
    assert citations.exists()
    for citation in citations:
        assert citation.quote.strip() or citation.locator.strip()
        assert len(citation.quote) <= 500
        assert len(citation.locator) <= 100


def test_the_approved_revision_cites_at_least_four_sources_including_both_articles():
    seed()
    titles = set(approved_revision().citations.values_list("source__title", flat=True))
    assert len(titles) >= 4
    assert {DIRECTING_CHOICE, STORY_BEHIND} <= titles


def test_the_disagreement_is_a_disputed_statement_with_both_sources():
    seed()
    revision = approved_revision()
    disputed = revision.statements.get(kind="disputed")
    assert "Fischer" in disputed.text
    sides = {c.source.title: c.quote for c in disputed.citations.select_related("source")}
    assert "first-ever on-screen kiss" in sides[DIRECTING_CHOICE]
    assert "one kiss more experienced" in sides[STORY_BEHIND]
    assert 'class="disputed"' in revision.rendered_html


def test_the_sources_have_no_invented_publisher_url_or_date():
    seed()
    assert Source.objects.count() == len(demo_content.SOURCES)
    for source in Source.objects.all():
        assert source.publisher == ""
        assert source.url == ""
        assert source.archive_url == ""
        assert source.published_date is None
        assert source.accessed_date is None
    book = Source.objects.get(kind=SourceKind.BOOK)
    assert (book.title, book.author) == ("The Actor's Life: A Survival Guide", "Jenna Fischer")
    assert Source.objects.filter(kind=SourceKind.PODCAST, title__contains="Office Ladies").exists()
    assert Source.objects.filter(kind=SourceKind.INTERVIEW).exists()
    assert Source.objects.filter(kind=SourceKind.WEB, title__contains="BuzzFeed").exists()


def test_every_source_is_cited():
    seed()
    assert not Source.objects.filter(citations__isnull=True).exists()


def test_it_leaves_one_pending_proposal_by_another_fan():
    """demo-fan starts the tour with no proposal of their own waiting."""
    seed()
    article = Article.objects.get(slug=SLUG)
    pending = Revision.objects.pending().get(article=article)
    assert pending.author.username == "demo-writer"
    assert pending.base_id == article.approved_revision_id
    assert pending.body != article.approved_revision.body
    # It keeps the citations of the text it edits and adds its own.
    assert pending.citations.count() == article.approved_revision.citations.count() + 1
    assert pending.citations.filter(source__kind=SourceKind.INTERVIEW).exists()


def test_the_demo_accounts_log_in_and_the_moderator_can_moderate(client):
    seed()
    assert factories.log_in(client, "demo-fan", "demo-password")
    client.logout()
    assert factories.log_in(client, "demo-moderator", "demo-password")
    fan = User.objects.get(username="demo-fan")
    moderator = User.objects.get(username="demo-moderator")
    assert can_moderate(moderator)
    assert not can_moderate(fan)
    assert not fan.is_staff
    assert moderator.is_staff
    assert not moderator.is_superuser
    assert moderator.groups.filter(name=MODERATORS_GROUP).exists()
    for perm in (
        "wiki.view_article",
        "wiki.view_revision",
        "catalog.view_episode",
        "catalog.change_episode",
        "catalog.add_show",
        "citations.view_source",
        "citations.change_source",
    ):
        assert moderator.has_perm(perm), perm
    assert not moderator.has_perm("wiki.change_revision")
    assert not moderator.has_perm("wiki.delete_article")
    assert not moderator.has_perm("catalog.delete_episode")


def test_running_it_twice_changes_nothing():
    first_output = seed()
    before = counts()
    second_output = seed()
    assert counts() == before
    assert "created" in first_output
    assert "created" not in second_output
    assert "Demo content ready" in second_output


def test_it_repairs_the_demo_accounts_without_duplicating_them(client):
    seed()
    moderator = User.objects.get(username="demo-moderator")
    moderator.set_password("something-else")
    moderator.is_staff = False
    moderator.save()
    moderator.groups.clear()
    before = counts()
    seed()
    assert counts() == before
    moderator = User.objects.get(username="demo-moderator")
    assert moderator.is_staff
    assert can_moderate(moderator)
    assert factories.log_in(client, "demo-moderator", "demo-password")


def test_it_does_not_propose_again_once_the_proposal_was_decided():
    seed()
    pending = Revision.objects.pending().get(article__slug=SLUG)
    reviewer = factories.make_user("reviewer", moderator=True)
    moderation.revision_approve(revision=pending, moderator=reviewer)
    before = counts()
    seed()
    assert counts() == before
    assert not Revision.objects.pending().exists()


def test_with_debug_off_it_creates_no_accounts_and_no_article():
    output = seed(debug=False)
    assert User.objects.count() == 0
    assert Article.objects.count() == 0
    assert Revision.objects.count() == 0
    assert Episode.objects.filter(title="Casino Night").exists()
    assert Source.objects.count() == len(demo_content.SOURCES)
    assert "DEBUG is off" in output
    # Turning DEBUG on later completes the demo without duplicating anything.
    seed()
    assert Source.objects.count() == len(demo_content.SOURCES)
    assert Article.objects.filter(slug=SLUG).exclude(approved_revision=None).exists()


def test_the_moderators_group_still_exists_after_seeding():
    seed()
    assert Group.objects.filter(name=MODERATORS_GROUP).count() == 1


def test_the_demo_has_a_review_comment_and_a_talk_topic_once():
    seed()
    seed()
    pending = Revision.objects.get(status=RevisionStatus.PENDING)
    (thread,) = ReviewThread.objects.filter(revision=pending)
    assert thread.comments.get().author.username == "demo-moderator"
    (topic,) = Topic.objects.filter(article=pending.article)
    assert [post.author.username for post in topic.posts.order_by("pk")] == [
        "demo-fan",
        "demo-moderator",
    ]
