"""The admin's source pages: what cites a source now, and every citation, paginated."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def source_with_history(article, fan, moderator):
    """One source cited through four approved versions and one pending proposal."""
    source = article.approved_revision.citations.get().source
    for body in ("First edit.", "Second edit.", "Third edit."):
        proposal = factories.propose_edit(article, fan, body=body, source=source)
        moderation.revision_approve(revision=proposal, moderator=moderator)
    factories.propose_edit(article, fan, body="Pending.", source=source)
    article.refresh_from_db()
    return source


def test_the_source_page_lists_only_the_current_citations_and_links_to_all(
    client, staff, article, source_with_history, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("admin:citations_source_change", args=[source_with_history.pk])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    page = response.content.decode()
    inline = response.context["inline_admin_formsets"][0]
    assert [form.original.revision_id for form in inline] == [article.approved_revision_id]
    link = (
        reverse("admin:wiki_citation_changelist") + f"?source__id__exact={source_with_history.pk}"
    )
    assert f'<a href="{link}">5 citation(s)' in page


def test_the_citation_list_is_filtered_by_source_and_paginated(
    client, staff, author, moderator, source_with_history
):
    other = factories.make_source("Another")
    factories.published_article(author, moderator, title="Another article", source=other)
    client.force_login(staff)
    url = reverse("admin:wiki_citation_changelist")
    response = client.get(url, {"source__id__exact": source_with_history.pk})
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == 5
    assert {c.source_id for c in changelist.result_list} == {source_with_history.pk}
    assert changelist.list_per_page == 100


def test_the_source_list_counts_citing_articles(client, staff, source_with_history):
    client.force_login(staff)
    response = client.get(reverse("admin:citations_source_changelist"))
    [source] = response.context["cl"].result_list
    assert source.article_total == 1


def test_citations_are_read_only_in_the_admin(client, staff, source_with_history):
    client.force_login(staff)
    citation = Citation.objects.filter(source=source_with_history).first()
    response = client.post(
        reverse("admin:wiki_citation_change", args=[citation.pk]), {"quote": "Changed"}
    )
    assert response.status_code == 403
    citation.refresh_from_db()
    assert citation.quote != "Changed"
