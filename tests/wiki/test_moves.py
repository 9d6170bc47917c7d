"""Moves (a new title, proposed and reviewed like an edit), the redirects they leave, and
other names (aliases): every old address answers 301, links to an old title still reach
the article, and nothing ever redirects to a redirect."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.moderation import services as moderation
from apps.talk import services as talk
from apps.wiki import services
from apps.wiki.models import (
    Article,
    AuditEvent,
    Follow,
    Redirect,
    RedirectKind,
    Revision,
    RevisionStatus,
)
from apps.wiki.naming import Names
from apps.wiki.services import WikiConflict
from tests import factories

pytestmark = pytest.mark.django_db


def propose_move(client, article, title, reason="Its name on the show"):
    return client.post(
        reverse("wiki:article-move", args=[article.slug]), {"title": title, "reason": reason}
    )


def move(article, title, *, author, moderator):
    """Propose a move as the site does and approve it."""
    article.refresh_from_db()
    current = article.approved_revision
    revision = factories.propose_names(
        article,
        author,
        Names(title=title, categories=Names.of(current).categories),
        summary=f"Move to {title}",
    )
    moderation.revision_approve(revision=revision, moderator=moderator)
    article.refresh_from_db()
    return revision


def test_a_fan_proposes_a_move_and_nothing_changes_until_a_moderator_approves(
    client, article, fan, moderator
):
    old_url = article.get_absolute_url()
    client.force_login(fan)
    response = propose_move(client, article, "Casino Night: the first kiss")
    assert response.status_code == 302
    proposal = Revision.objects.get(status=RevisionStatus.PENDING)
    assert proposal.title == "Casino Night: the first kiss"
    assert proposal.body == article.approved_revision.body
    assert "Moved “Casino Night trivia” to “Casino Night: the first kiss”" in proposal.summary
    article.refresh_from_db()
    assert article.title == "Casino Night trivia"
    assert client.get(old_url).status_code == 200

    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert '<td data-label="Kind">Move' in queue
    review = client.get(reverse("moderation:review", args=[proposal.pk])).content.decode()
    assert "Title, categories and other names" in review
    assert "“Casino Night trivia” → “Casino Night: the first kiss”" in review

    moderation.revision_approve(revision=proposal, moderator=moderator)
    article.refresh_from_db()
    assert article.title == "Casino Night: the first kiss"
    assert article.slug == "casino-night-the-first-kiss"
    redirect = Redirect.objects.get(slug="casino-night-trivia")
    assert (redirect.article, redirect.kind) == (article, RedirectKind.MOVED)

    client.logout()
    response = client.get(old_url + "?from=outside")
    assert response.status_code == 301
    assert response["Location"] == "/wiki/casino-night-the-first-kiss/?from=outside"
    history = client.get("/wiki/casino-night-trivia/history/")
    assert (history.status_code, history["Location"]) == (
        301,
        "/wiki/casino-night-the-first-kiss/history/",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<h1>Casino Night: the first kiss</h1>" in page
    history_page = client.get(history["Location"]).content.decode()
    assert "from “Casino Night trivia” to “Casino Night: the first kiss”" in history_page


def test_a_move_needs_a_reason_and_a_new_free_title(client, article, fan, author, moderator):
    other = factories.published_article(author, moderator, title="Dundies trivia")
    client.force_login(fan)
    url = reverse("wiki:article-move", args=[article.slug])
    response = client.post(url, {"title": "Somewhere else", "reason": ""})
    assert response.status_code == 400
    assert 'value="Somewhere else"' in response.content.decode()
    response = client.post(url, {"title": other.title, "reason": "Why not"})
    assert response.status_code == 400
    assert "Another article already has that title" in response.content.decode()
    response = client.post(url, {"title": "casino night trivia", "reason": "Lower case"})
    # A change of case keeps the address: a move like any other.
    assert response.status_code == 302
    response = client.post(url, {"title": "Casino Night trivia", "reason": "Same"})
    assert "That is the article&#x27;s title already." in response.content.decode()
    assert Revision.objects.filter(status=RevisionStatus.PENDING).count() == 1


def test_a_second_move_leaves_no_double_redirect(client, article, author, moderator):
    move(article, "Second title", author=author, moderator=moderator)
    move(article, "Third title", author=author, moderator=moderator)
    assert sorted(Redirect.objects.values_list("slug", "article")) == [
        ("casino-night-trivia", article.pk),
        ("second-title", article.pk),
    ]
    for old in ("casino-night-trivia", "second-title"):
        response = client.get(f"/wiki/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/wiki/third-title/")
        # One hop: the address it leads to is the article itself.
        assert client.get(response["Location"]).status_code == 200


def test_an_old_address_of_a_version_leads_to_it_at_the_new_one(
    client, article, author, moderator, django_assert_num_queries
):
    first = article.approved_revision
    move(article, "The first kiss", author=author, moderator=moderator)
    response = client.get(f"/wiki/casino-night-trivia/revisions/{first.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/wiki/the-first-kiss/revisions/{first.pk}/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/wiki/the-first-kiss/revisions/{first.pk + 999}/").status_code == 404


def test_moving_back_takes_the_old_address_back(client, article, author, moderator):
    move(article, "Second title", author=author, moderator=moderator)
    move(article, "Casino Night trivia", author=author, moderator=moderator)
    assert article.slug == "casino-night-trivia"
    assert list(Redirect.objects.values_list("slug", flat=True)) == ["second-title"]
    assert client.get("/wiki/casino-night-trivia/").status_code == 200


def test_links_to_the_old_title_reach_the_article_with_its_title_now(
    client, article, author, moderator
):
    linking = factories.published_article(
        author,
        moderator,
        title="Dundies trivia",
        body="See [[Casino Night trivia]] and [[Casino Night trivia|that kiss]].",
    )
    move(article, "The first kiss", author=author, moderator=moderator)
    page = client.get(linking.get_absolute_url()).content.decode()
    assert '<a class="wikilink" href="/wiki/the-first-kiss/" title="The first kiss"' in page
    assert ">The first kiss</a>" in page
    assert ">that kiss</a>" in page
    assert "wikilink-missing" not in page


def test_the_talk_page_followers_and_history_move_with_the_article(
    client, article, fan, author, moderator
):
    topic = talk.topic_start(article=article, author=fan, title="The title", body="Rename?")
    Follow.objects.create(user=fan, article=article)
    move(article, "The first kiss", author=author, moderator=moderator)
    topic.refresh_from_db()
    assert topic.article_id == article.pk
    page = client.get(reverse("talk:topics", args=[article.slug])).content.decode()
    assert "The title" in page
    old_talk = client.get("/wiki/casino-night-trivia/talk/")
    assert old_talk.status_code == 301
    assert old_talk["Location"] == reverse("talk:topics", args=["the-first-kiss"])
    assert Follow.objects.get(user=fan).article_id == article.pk
    # The audit log keeps the move as an approval of the version that carries it.
    assert AuditEvent.objects.filter(revision__title="The first kiss").exists()
    client.force_login(moderator)
    log = client.get(reverse("moderation:audit")).content.decode()
    assert "“Casino Night trivia” → “The first kiss”" in log


def test_a_trusted_fans_move_is_approved_by_the_same_rule_as_their_edits(
    client, article, moderator
):
    trusted = factories.make_user("trusted")
    from apps.accounts.models import Trust
    from apps.moderation import services as moderation_services

    moderation_services.user_set_trust(
        user=trusted, trust=Trust.TRUSTED, moderator=moderator, reason="Reliable"
    )
    client.force_login(trusted)
    propose_move(client, article, "The first kiss")
    article.refresh_from_db()
    assert article.title == "The first kiss"
    assert client.get("/wiki/casino-night-trivia/").status_code == 301


def test_a_protected_article_is_moved_by_moderators_only(client, article, fan, moderator):
    from apps.wiki.models import Protection

    moderation.article_protect(
        article=article, level=Protection.MODERATORS, moderator=moderator, reason="Edit war"
    )
    client.force_login(fan)
    response = propose_move(client, article, "Vandal title")
    assert response.status_code == 403
    assert not Revision.objects.filter(title="Vandal title").exists()


def test_aliases_redirect_and_search_finds_them(client, article, author, moderator):
    current = article.approved_revision
    revision = factories.propose_names(
        article,
        author,
        Names.typed(
            title=current.title,
            categories="",
            aliases="Jim and Pam's first kiss\nThe parking lot kiss",
        ),
        summary="Other names",
    )
    assert not Redirect.objects.exists()  # reviewed first
    moderation.revision_approve(revision=revision, moderator=moderator)
    response = client.get("/wiki/jim-and-pams-first-kiss/")
    assert (response.status_code, response["Location"]) == (301, "/wiki/casino-night-trivia/")
    results = client.get(reverse("wiki:search"), {"q": "parking lot"}).content.decode()
    assert "Casino Night trivia" in results
    assert "Also called" in results

    # Removing one stops it leading there.
    article.refresh_from_db()
    names = Names.of(article.approved_revision)
    edit = factories.propose_names(
        article,
        author,
        Names(title=names.title, aliases=("The parking lot kiss",)),
        summary="One other name",
    )
    moderation.revision_approve(revision=edit, moderator=moderator)
    assert client.get("/wiki/jim-and-pams-first-kiss/").status_code == 404
    assert client.get("/wiki/the-parking-lot-kiss/").status_code == 301


def test_an_alias_cannot_be_another_articles_title(article, author, moderator):
    other = factories.published_article(author, moderator, title="Dundies trivia")
    with pytest.raises(ValidationError) as refused:
        services.revision_propose(
            article=article,
            author=author,
            body="Text [@1]",
            summary="Alias",
            citations=[factories.cite()],
            base=article.approved_revision,
            names=Names(title=article.title, aliases=(other.title,)),
        )
    assert "is the title of another article" in str(refused.value)


def test_a_title_held_by_a_redirect_is_taken_over_only_through_a_moderator(
    client, article, author, moderator
):
    move(article, "The first kiss", author=author, moderator=moderator)
    trusted = factories.make_user("trusted")
    from apps.accounts.models import Trust
    from apps.moderation import services as moderation_services

    moderation_services.user_set_trust(
        user=trusted, trust=Trust.TRUSTED, moderator=moderator, reason="Reliable"
    )
    # A trusted fan's new article under the old title waits for a moderator.
    revision = factories.propose_article(trusted, title="Casino Night trivia")
    assert revision.status == RevisionStatus.PENDING
    assert client.get("/wiki/casino-night-trivia/").status_code == 301  # still the redirect
    client.force_login(moderator)
    review = client.get(reverse("moderation:review", args=[revision.pk])).content.decode()
    assert "now leads to the article “The first kiss”" in review
    moderation.revision_approve(revision=revision, moderator=moderator)
    assert not Redirect.objects.filter(slug="casino-night-trivia").exists()
    assert Article.objects.get(slug="casino-night-trivia").pk == revision.article_id


def test_a_revert_restores_the_title_and_its_address(client, article, author, moderator):
    first = article.approved_revision
    move(article, "The first kiss", author=author, moderator=moderator)
    client.force_login(moderator)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Restoring it also changes: title “The first kiss” → “Casino Night trivia”" in page
    client.logout()
    moderation.revision_revert(article=article, to=first, moderator=moderator, reason="Bad move")
    article.refresh_from_db()
    assert (article.title, article.slug) == ("Casino Night trivia", "casino-night-trivia")
    response = client.get("/wiki/the-first-kiss/")
    assert (response.status_code, response["Location"]) == (301, "/wiki/casino-night-trivia/")


def test_a_stale_move_merges_onto_newer_text(article, author, fan, moderator):
    mover = factories.propose_names(
        article,
        fan,
        Names(title="The first kiss"),
        summary="Move",
    )
    edit = factories.propose_edit(article, author, body="Newer text.")
    moderation.revision_approve(revision=edit, moderator=moderator)
    merged = moderation.revision_approve_merged(revision=mover, moderator=moderator)
    article.refresh_from_db()
    assert article.title == "The first kiss"
    assert merged.body == edit.body


def test_a_move_is_approved_whole_not_in_part(article, author, moderator):
    current = article.approved_revision
    revision = factories.propose_names(
        article,
        author,
        Names(title="The first kiss"),
        summary="Move and edit",
        body=current.body + "\n\nMore.",
    )
    with pytest.raises(WikiConflict, match="as a whole"):
        moderation.revision_approve_part(
            revision=revision, moderator=moderator, accepted={1}, reasons={}
        )


def test_a_folded_article_keeps_its_neutral_address_after_a_move(
    client, article, author, moderator
):
    move(article, "The first kiss", author=author, moderator=moderator)
    early = factories.make_episode(season=1, number=1, title="Pilot")
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": early.pk})
    response = client.get("/wiki/casino-night-trivia/")
    assert response.status_code == 301
    assert response["Location"] == f"/wiki/S02E22-{article.pk}/"
    assert "first-kiss" not in response["Location"]


def rename(article, author, moderator, *, title=None, aliases=()):
    """Publish a version with this title and these other names (text and citations kept)."""
    article.refresh_from_db()
    current = article.approved_revision
    revision = factories.propose_names(
        article,
        author,
        Names(title=title or current.title, aliases=tuple(aliases)),
        summary="Names",
    )
    moderation.revision_approve(revision=revision, moderator=moderator)
    article.refresh_from_db()
    return revision


def test_a_former_title_given_up_as_an_other_name_still_leads_to_the_article(
    client, article, author, moderator
):
    rename(article, author, moderator, title="The first kiss")
    rename(article, author, moderator, aliases=["Casino Night trivia"])
    assert Redirect.objects.get(slug="casino-night-trivia").kind == RedirectKind.ALIAS
    rename(article, author, moderator, aliases=[])
    redirect = Redirect.objects.get(slug="casino-night-trivia")
    assert (redirect.kind, redirect.title) == (RedirectKind.MOVED, "Casino Night trivia")
    assert client.get("/wiki/casino-night-trivia/").status_code == 301


def test_a_name_a_moderator_gave_to_another_article_is_not_taken_back_by_an_edit(
    client, article, author, moderator
):
    rename(article, author, moderator, aliases=["The kiss"])
    other = factories.published_article(author, moderator, title="Dundies trivia")
    rename(other, author, moderator, aliases=["The kiss"])  # a moderator's approval
    assert Redirect.objects.get(slug="the-kiss").article == other
    # An edit of the first article, still listing the name, leaves it where it is...
    edit = factories.propose_edit(article, author, body="A typo fixed.")
    assert Names.of(edit).aliases == ("The kiss",)
    moderation.revision_approve(revision=edit, moderator=moderator)
    assert Redirect.objects.get(slug="the-kiss").article == other
    # ...and does not keep a trusted author's edit from being approved at once.
    from apps.accounts.models import Trust
    from apps.moderation import services as moderation_services

    moderation_services.user_set_trust(
        user=author, trust=Trust.TRUSTED, moderator=moderator, reason="Reliable"
    )
    again = factories.propose_edit(article, author, body="Another typo fixed.")
    assert again.status == RevisionStatus.APPROVED


def test_a_link_by_an_other_name_keeps_its_words_and_a_renamed_title_with_quotes_updates(
    client, author, moderator
):
    quoted = factories.published_article(author, moderator, title='The "Dundies"')
    kiss = factories.published_article(author, moderator, title="Casino kiss")
    rename(kiss, author, moderator, aliases=["Jim and Pam's first kiss"])
    rename(quoted, author, moderator, title="Dundies night")
    linking = factories.published_article(
        author,
        moderator,
        title="Links",
        body='Everyone remembers [[Jim and Pam\'s first kiss]] and [[The "Dundies"]].',
    )
    page = client.get(linking.get_absolute_url()).content.decode()
    assert 'href="/wiki/casino-kiss/" title="Casino kiss"' in page
    assert "Jim and Pam&#x27;s first kiss</a>" in page or "Jim and Pam's first kiss</a>" in page
    assert 'href="/wiki/dundies-night/" title="Dundies night"' in page
    assert ">Dundies night</a>" in page
    assert "&quot;Dundies&quot;</a>" not in page


def test_an_edit_refused_as_stale_keeps_the_categories_approved_meanwhile(
    client, article, fan, author, moderator
):
    from tests.wiki.test_loop import edit_post

    client.force_login(fan)
    data = edit_post(article, client, body="My change. [@1]", summary="Mine", categories="Kisses")
    # Meanwhile another edit files the article under another category.
    current = article.approved_revision
    other = factories.propose_names(
        article,
        author,
        Names.typed(title=current.title, categories="Season finales", aliases=""),
        summary="Filed",
    )
    moderation.revision_approve(revision=other, moderator=moderator)
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 409
    assert response.context["form"]["categories"].value() == "Kisses\nSeason finales"


def test_a_long_move_summary_keeps_the_reason(client, article, fan):
    client.force_login(fan)
    title = "A" * 190
    propose_move(client, article, title, reason="The episode's own name")
    proposal = Revision.objects.get(status=RevisionStatus.PENDING)
    assert proposal.summary.endswith(": The episode's own name")
    assert len(proposal.summary) <= 300
