"""The list of sources: what each is, and how many articles cite it now."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("wiki:source-list")


def listed_counts(client):
    page = client.get(URL).context["page"]
    return {source.title: source.article_count for source in page.object_list}


def test_a_source_carried_through_several_approved_edits_counts_once(
    client, article, fan, moderator
):
    source = article.approved_revision.citations.get().source
    for body in ("First edit.", "Second edit.", "Third edit."):
        proposal = factories.propose_edit(article, fan, body=body, source=source)
        moderation.revision_approve(revision=proposal, moderator=moderator)
    # Four approved versions cite it, one article cites it now.
    assert Citation.objects.filter(source=source).count() == 4
    assert listed_counts(client) == {source.title: 1}
    assert "cited in 1 article<" in client.get(URL).content.decode()


def test_it_counts_each_article_whose_current_text_cites_the_source(
    client, article, author, fan, moderator
):
    source = article.approved_revision.citations.get().source
    factories.published_article(author, moderator, title="Another", source=source)
    assert listed_counts(client) == {source.title: 2}
    assert "cited in 2 articles<" in client.get(URL).content.decode()


def test_proposals_and_replaced_text_do_not_count(client, article, fan, moderator):
    source = article.approved_revision.citations.get().source
    factories.propose_edit(article, fan, body="Pending.", source=source)
    # An approved edit that cites another source instead: the first one is history.
    replacement = factories.make_source("A better source")
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, source=replacement), moderator=moderator
    )
    client.force_login(moderator)  # moderators see sources no current text cites
    assert listed_counts(client) == {source.title: 0, replacement.title: 1}


def test_the_count_costs_the_same_for_many_sources(
    client, author, moderator, django_assert_num_queries
):
    for n in range(12):
        factories.published_article(author, moderator, title=f"Article {n}")
    with django_assert_num_queries(2):  # the page count, then one page of sources with counts
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 12
