"""Pages whose query count must not grow with their data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.wiki import services
from tests import factories

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_approved_edits(article, moderator, how_many, citations_each=3):
    fan = factories.make_user(f"writer{article.revisions.count()}")
    for number in range(how_many):
        article.refresh_from_db()
        citations = [factories.cite(locator=f"p. {n}") for n in range(citations_each)]
        revision = services.revision_propose(
            article=article,
            author=fan,
            body=factories.with_markers(f"Version {number}", citations),
            summary=f"Edit {number}",
            citations=citations,
            base=article.approved_revision,
        )
        moderation.revision_approve(revision=revision, moderator=moderator)
    article.refresh_from_db()


def test_article_page(client, article, moderator, django_assert_num_queries):
    add_approved_edits(article, moderator, 1, citations_each=2)
    small = count_queries(client, article.get_absolute_url())
    add_approved_edits(article, moderator, 5, citations_each=12)
    with django_assert_num_queries(small):
        client.get(article.get_absolute_url())
    # The article with its approved revision, its citations, its flagged statements, the
    # show's episodes for the spoiler setting, the infobox (the episodes before and
    # after, the other articles about it), the Talk tab's count of open topics, and the
    # categories at its foot. A cached page costs none of them.
    assert small == 9


def test_article_page_with_disputes(client, article, moderator, django_assert_num_queries):
    fan = factories.make_user("disputer")

    def approve(body, count):
        article.refresh_from_db()
        citations = [factories.cite(locator=f"p. {n}") for n in range(count)]
        revision = services.revision_propose(
            article=article,
            author=fan,
            body=body,
            summary="Disputes",
            citations=citations,
            base=article.approved_revision,
        )
        moderation.revision_approve(revision=revision, moderator=moderator)

    approve("A claim. [disputed @1 @2] Unsourced. [citation needed]", 2)
    small = count_queries(client, article.get_absolute_url())
    body = " ".join(f"Claim {n}. [disputed @{2 * n + 1} @{2 * n + 2}]" for n in range(6))
    approve(body + " More. [citation needed] Again. [citation needed]", 12)
    with django_assert_num_queries(small):
        response = client.get(article.get_absolute_url())
    assert len(response.context["notes"].disputes) == 6
    assert small == 10


def test_article_page_for_a_fan(client, article, fan, moderator):
    client.force_login(fan)
    factories.propose_edit(article, fan)  # one's own proposals are listed: one query for all
    small = count_queries(client, article.get_absolute_url())
    add_approved_edits(article, moderator, 4, citations_each=6)
    factories.propose_edit(article, fan)
    factories.propose_edit(article, fan)
    assert count_queries(client, article.get_absolute_url()) == small


def test_history_page(client, article, moderator, django_assert_num_queries):
    url = reverse("wiki:article-history", args=[article.slug])
    add_approved_edits(article, moderator, 1)
    small = count_queries(client, url)
    add_approved_edits(article, moderator, 8)
    with django_assert_num_queries(small):
        client.get(url)


def test_queue(client, article, moderator, django_assert_num_queries):
    client.force_login(moderator)
    url = reverse("moderation:queue")
    factories.propose_edit(article, factories.make_user("one"))
    client.get(url)  # the unfiltered filters are made once per process
    small = count_queries(client, url)
    for number in range(10):
        factories.propose_edit(article, factories.make_user(f"queue{number}"))
        factories.propose_article(factories.make_user(f"new{number}"), title=f"Page {number}")
    with django_assert_num_queries(small):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 21


def test_review_page(client, article, moderator, django_assert_num_queries):
    client.force_login(moderator)
    few = factories.propose_edit(article, factories.make_user("few"))
    small = count_queries(client, reverse("moderation:review", args=[few.pk]))
    citations = [factories.cite(locator=f"p. {n}") for n in range(15)]
    many = services.revision_propose(
        article=article,
        author=factories.make_user("many"),
        body=factories.with_markers("x\n" * 200, citations),
        summary="Many citations",
        citations=citations,
        base=article.approved_revision,
    )
    with django_assert_num_queries(small):
        client.get(reverse("moderation:review", args=[many.pk]))


def test_review_threads_do_not_add_queries(
    client, article, moderator, other_moderator, django_assert_num_queries
):
    fan = factories.make_user("talker")
    body = "\n".join(f"Line {n}." for n in range(1, 9))
    proposal = factories.propose_edit(article, fan, body=body)
    moderation.thread_start(revision=proposal, user=moderator, body="One.")
    client.force_login(moderator)
    pages = (reverse("moderation:review", args=[proposal.pk]), proposal.get_absolute_url())
    small = [count_queries(client, url) for url in pages]
    for n in range(1, 7):
        thread = moderation.thread_start(
            revision=proposal, user=other_moderator, body=f"On line {n}.", anchor="lines",
            side="new", line_start=n, line_end=n, suggestion=f"Line {n}!",
        )  # fmt: skip
        moderation.thread_reply(thread=thread, user=fan, body="Noted.")
    with django_assert_num_queries(small[0]):
        client.get(pages[0])
    client.force_login(fan)
    small_author = count_queries(client, pages[1])
    moderation.thread_reply(thread=thread, user=moderator, body="More.")
    with django_assert_num_queries(small_author):
        client.get(pages[1])


def test_source_list(client, article, moderator, django_assert_num_queries):
    url = reverse("wiki:source-list")
    small = count_queries(client, url)
    add_approved_edits(article, moderator, 3, citations_each=5)
    with django_assert_num_queries(small):
        client.get(url)


def add_sources(how_many, created_by, start=0):
    Source.objects.bulk_create(
        Source(title=f"Extra source {n:04d}", url=f"https://example.com/{n}", created_by=created_by)
        for n in range(start, start + how_many)
    )


@pytest.mark.parametrize("url_name", ["wiki:article-edit", "wiki:article-create"])
def test_proposal_editor_does_not_grow_with_the_wiki_s_sources(
    client, article, fan, url_name, django_assert_num_queries
):
    """10 or 500 sources the fan may cite: the same queries, the same page."""
    url = reverse(url_name, args=[article.slug] if url_name == "wiki:article-edit" else [])
    client.force_login(fan)
    add_sources(10, fan)
    small = count_queries(client, url)
    few = client.get(url).content
    add_sources(490, fan, start=10)
    with django_assert_num_queries(small):
        many = client.get(url).content
    assert b"Extra source" not in many
    assert abs(len(many) - len(few)) < 100  # only the CSRF token differs
