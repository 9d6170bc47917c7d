"""GET /users/<username>/: a user's public profile, and the author links that lead to it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import RevisionStatus
from apps.wiki.views import profiles
from tests import factories

pytestmark = pytest.mark.django_db


def profile_url(user):
    return reverse("wiki:profile", kwargs={"username": user.username})


def propose(article, author, summary, body="Changed text."):
    """A proposal on the article's current text, with a summary a test can look for."""
    article.refresh_from_db()
    citations = [factories.cite()]
    return services.revision_propose(
        article=article,
        author=author,
        body=factories.with_markers(body, citations),
        summary=summary,
        citations=citations,
        base=article.approved_revision,
    )


def approved_edit(article, author, moderator, summary):
    revision = propose(article, author, summary, body=f"Text for {summary}.")
    if revision.is_pending:  # a trusted author's edit is approved at once
        revision = moderation.revision_approve(revision=revision, moderator=moderator)
    return revision


@pytest.fixture
def fans_work(article, fan, moderator):
    """The fan's approved edit, plus a pending, a rejected and a withdrawn proposal."""
    approved = approved_edit(article, fan, moderator, "Approved summary")
    pending = propose(article, fan, "Pending summary", body="Pending secret text.")
    rejected = propose(article, fan, "Rejected summary", body="Rejected secret text.")
    moderation.revision_reject(revision=rejected, moderator=moderator, reason="No source says so.")
    withdrawn = propose(article, fan, "Withdrawn summary", body="Withdrawn secret text.")
    services.revision_withdraw(revision=withdrawn, user=fan)
    return {"approved": approved, "pending": pending, "rejected": rejected, "withdrawn": withdrawn}


def test_it_shows_a_reader_approved_contributions_only(client, fan, fans_work):
    response = client.get(profile_url(fan))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Approved summary" in content
    assert fans_work["approved"].get_absolute_url() in content
    for hidden in ("pending", "rejected", "withdrawn"):
        assert f"{hidden.capitalize()} summary" not in content
        assert f"{hidden.capitalize()} secret text" not in content
        assert fans_work[hidden].get_absolute_url() not in content
    assert list(response.context["page"].object_list) == [fans_work["approved"]]


def test_it_hides_unapproved_work_from_its_author_too(client, fan, fans_work):
    """The profile is the public view, whoever looks; My contributions has the rest."""
    client.force_login(fan)
    content = client.get(profile_url(fan)).content.decode()
    assert "Approved summary" in content
    assert "Pending summary" not in content
    assert "Rejected summary" not in content


def test_it_shows_the_user_and_their_counts(client, author, fan, moderator, article):
    approved_edit(article, author, moderator, "Second approved edit")
    factories.propose_article(author, title="Awaiting approval")  # unpublished: not counted
    factories.published_article(fan, moderator, title="Someone else's")
    response = client.get(profile_url(author))
    content = response.content.decode()
    assert f"<h1>{author.username}</h1>" in content
    assert author.date_joined.strftime("%B %Y") in content
    assert response.context["page"].paginator.count == 2
    assert response.context["articles_created"] == 1
    assert "<dt>Approved contributions</dt><dd>2</dd>" in content
    assert "<dt>Articles created</dt><dd>1</dd>" in content


def test_it_lists_newest_first_and_tells_new_articles_from_edits(
    client, author, moderator, article
):
    edit = approved_edit(article, author, moderator, "A later edit")
    response = client.get(profile_url(author))
    listed = list(response.context["page"].object_list)
    assert listed == [edit, article.revisions.get(base__isnull=True)]
    content = response.content.decode()
    assert f"Edit #{edit.pk}" in content
    assert f"New article #{listed[1].pk}" in content
    assert article.get_absolute_url() in content


def test_it_paginates(client, author, moderator, article, monkeypatch):
    monkeypatch.setattr(profiles, "PAGE_SIZE", 2)
    for number in range(2):
        approved_edit(article, author, moderator, f"Edit {number}")
    first = client.get(profile_url(author))
    second = client.get(profile_url(author), {"page": 2})
    assert [r.summary for r in first.context["page"].object_list] == ["Edit 1", "Edit 0"]
    assert [r.summary for r in second.context["page"].object_list] == ["New article"]
    assert second.context["page"].paginator.count == 3


def test_it_badges_a_moderator(client, moderator, fan):
    assert "Moderator</span>" in client.get(profile_url(moderator)).content.decode()
    assert "Moderator</span>" not in client.get(profile_url(fan)).content.decode()


def test_it_badges_a_trusted_contributor(client, fan, moderator):
    assert "Trusted contributor" not in client.get(profile_url(fan)).content.decode()
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator)
    assert "Trusted contributor" in client.get(profile_url(fan)).content.decode()


def test_it_links_the_owner_to_their_contributions(client, fan, author):
    notice = "Your proposals awaiting review and those rejected are in"
    link = f'<a href="{reverse("wiki:contributions")}">My contributions</a>.'
    client.force_login(fan)
    own = client.get(profile_url(fan)).content.decode()
    assert notice in own
    assert link in own
    someone_elses = client.get(profile_url(author)).content.decode()
    assert notice not in someone_elses
    client.logout()
    assert notice not in client.get(profile_url(fan)).content.decode()


def test_it_404s_for_an_unknown_user(client):
    response = client.get(reverse("wiki:profile", kwargs={"username": "nobody"}))
    assert response.status_code == 404


def test_it_404s_for_an_inactive_user(client, author, article):
    author.is_active = False
    author.save(update_fields=["is_active"])
    assert client.get(profile_url(author)).status_code == 404


def test_it_rejects_post(client, fan):
    assert client.post(profile_url(fan)).status_code == 405


def test_its_query_count_does_not_grow(
    client, author, moderator, article, django_assert_num_queries
):
    # Old enough for the trust rule to be asked, so that its query is counted too.
    author.date_joined -= timedelta(days=60)
    author.save(update_fields=["date_joined"])
    # The user; the page of contributions and its count; articles created;
    # the moderator check (user and group permissions); the trust rule.
    with django_assert_num_queries(7):
        client.get(profile_url(author))
    factories.published_article(author, moderator, title="Another article")
    for number in range(6):
        approved_edit(article, author, moderator, f"Edit {number}")
    with django_assert_num_queries(7):
        response = client.get(profile_url(author))
    assert len(response.context["page"].object_list) == 8


def test_the_history_page_links_authors_to_their_profiles(client, article, author, fan, moderator):
    approved_edit(article, fan, moderator, "Fan's edit")
    content = client.get(reverse("wiki:article-history", args=[article.slug])).content.decode()
    assert f'<a href="{profile_url(author)}">{author.username}</a>' in content
    assert f'<a href="{profile_url(fan)}">{fan.username}</a>' in content


def test_the_article_and_revision_pages_link_the_author(client, article, author):
    link = f'<a href="{profile_url(author)}">{author.username}</a>'
    assert link in client.get(article.get_absolute_url()).content.decode()
    revision = article.approved_revision
    assert revision.status == RevisionStatus.APPROVED
    assert link in client.get(revision.get_absolute_url()).content.decode()


def test_an_inactive_authors_name_is_not_linked(client, article, author):
    author.is_active = False
    author.save(update_fields=["is_active"])
    content = client.get(reverse("wiki:article-history", args=[article.slug])).content.decode()
    assert author.username in content
    assert profile_url(author) not in content
