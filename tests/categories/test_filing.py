"""Filing articles under categories: what approved versions say, and only that."""

import pytest
from django.urls import reverse

from apps.categories.models import Category, Membership
from apps.moderation import services as moderation
from apps.wiki.models import Revision
from tests import factories

from .helpers import (
    approve,
    category,
    filed,
    members,
    propose,
    propose_names,
    publish,
    refile,
)

pytestmark = pytest.mark.django_db


def listed(client, name):
    """The titles the category's page lists, in order (as served: maybe from the cache)."""
    response = client.get(category(name).get_absolute_url())
    assert response.status_code == 200
    return members(response.content.decode())


def test_a_proposal_files_nothing_until_approved_then_both_pages_list_it(client, fan, moderator):
    proposal = propose(fan, "The kiss", categories="Kisses, Season finales")
    assert not Membership.objects.exists()
    assert not Category.objects.exists()
    assert proposal.categories == "Kisses\nSeason finales"

    article = approve(proposal, moderator)
    assert filed(article) == ["Kisses", "Season finales"]
    assert Category.objects.get(slug="kisses").name == "Kisses"
    for name in ("Kisses", "Season finales"):
        page = client.get(category(name).get_absolute_url()).content.decode()
        assert f'<a href="/wiki/{article.slug}/">The kiss</a>' in page


def test_an_approved_edit_removing_a_category_takes_it_off_that_page_only(
    client, fan, author, moderator
):
    article = publish(fan, moderator, "The kiss", categories="Kisses\nSeason finales")
    assert listed(client, "Season finales") == ["The kiss"]

    edit = propose_names(article, author, categories="Kisses")
    # Pending: readers still see it in both.
    assert filed(article) == ["Kisses", "Season finales"]
    assert listed(client, "Season finales") == ["The kiss"]

    approve(edit, moderator)
    assert filed(article) == ["Kisses"]
    assert listed(client, "Season finales") == []
    assert listed(client, "Kisses") == ["The kiss"]
    # The category stays, empty, for the next article filed under it.
    page = client.get(category("Season finales").get_absolute_url()).content.decode()
    assert "No article is in this category yet" in page


def test_the_review_page_shows_the_category_change(client, fan, author, moderator):
    article = publish(fan, moderator, "The kiss", categories="Kisses, Season finales")
    edit = propose_names(article, author, categories="Kisses, Pranks")
    client.force_login(moderator)
    response = client.get(reverse("moderation:review", args=[edit.pk]))
    assert response.status_code == 200
    assert ("Categories", "added Pranks; removed Season finales") in response.context[
        "name_changes"
    ]
    page = response.content.decode()
    assert '<th scope="row">Categories</th><td>added Pranks; removed Season finales</td>' in page


def test_the_review_page_of_a_new_article_lists_its_categories(client, fan, moderator):
    proposal = propose(fan, "The kiss", categories="Kisses, Season finales")
    client.force_login(moderator)
    page = client.get(reverse("moderation:review", args=[proposal.pk])).content.decode()
    assert '<th scope="row">Categories</th><td>Kisses, Season finales</td>' in page


def test_a_revert_restores_the_older_version_s_categories(fan, author, moderator):
    article = publish(fan, moderator, "The kiss", categories="Kisses, Season finales|finale")
    first = article.approved_revision
    article = refile(article, author, moderator, "Pranks")
    assert filed(article) == ["Pranks"]

    reverted = moderation.revision_revert(
        article=article, to=first, moderator=moderator, reason="Categories vandalised"
    )
    article.refresh_from_db()
    assert article.approved_revision == reverted
    assert reverted.categories == first.categories
    assert filed(article) == ["Kisses", "Season finales"]
    assert Membership.objects.get(article=article, category__name="Season finales").sort_key == (
        "finale"
    )


def test_the_sort_key_changes_alone_with_an_edit(fan, author, moderator):
    article = publish(fan, moderator, "The kiss", categories="Kisses")
    assert Membership.objects.get(article=article).sort_key == "the kiss"
    article = refile(article, author, moderator, "Kisses|Kiss, first")
    membership = Membership.objects.get(article=article, category__name="Kisses")
    assert membership.sort_key == "kiss"  # a comma separates entries: "first" is another one
    assert filed(article) == ["First", "Kisses"]


def test_names_are_parsed_as_the_editor_takes_them(fan, moderator):
    article = publish(
        fan,
        moderator,
        "The kiss",
        categories="Category: kisses\n  season   finales |Finale ,kisses, \n",
    )
    assert filed(article) == ["Kisses", "Season finales"]
    assert Membership.objects.get(category__slug="season-finales").sort_key == "finale"
    assert Category.objects.count() == 2


def test_a_name_differing_only_in_case_files_under_the_same_category(fan, author, moderator):
    first = publish(fan, moderator, "The kiss", categories="Kisses")
    second = publish(author, moderator, "Another kiss", categories="KISSES")
    assert Category.objects.count() == 1
    assert filed(first) == filed(second) == ["Kisses"]


def test_a_rejected_proposal_files_nothing(fan, moderator):
    proposal = propose(fan, "The kiss", categories="Kisses")
    moderation.revision_reject(revision=proposal, moderator=moderator, reason="Not sourced.")
    assert not Membership.objects.exists()
    assert not Category.objects.exists()


def test_the_article_foot_links_its_categories_and_the_catalog(client, fan, moderator, episode):
    article = publish(
        fan, moderator, "The kiss", categories="Season finales, Kisses", episode=episode
    )
    page = client.get(article.get_absolute_url()).content.decode()
    start = page.index('<footer class="article-categories"')
    foot = page[start : page.index("</footer>", start)]
    kisses, finales = category("Kisses"), category("Season finales")
    assert (
        f'<a href="/categories/">Categories</a>: <a href="{kisses.get_absolute_url()}">Kisses</a>'
        f' · <a href="{finales.get_absolute_url()}">Season finales</a>' in foot
    )
    season = episode.season
    assert f'<a href="{season.show.get_absolute_url()}">The Office</a>' in foot
    assert f'<a href="{season.get_absolute_url()}">Season 2</a>' in foot
    assert f'<a href="{episode.get_absolute_url()}">S02E22</a>' in foot
    assert "This page describes the category" not in foot


def test_an_article_with_no_category_and_no_episode_has_no_foot(client, fan, moderator):
    article = publish(fan, moderator, "Running jokes")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "article-categories" not in page


def test_a_description_page_describes_its_category(client, fan, author, moderator):
    member = publish(fan, moderator, "The kiss", categories="Kisses")
    page_article = publish(
        author, moderator, "Category:Kisses", body="Every kiss.", categories="Romance"
    )
    kisses = category("Kisses")
    assert kisses.page == page_article
    assert filed(page_article) == ["Romance"]

    page = client.get(page_article.get_absolute_url()).content.decode()
    assert (
        f'This page describes the category <a href="{kisses.get_absolute_url()}">Kisses</a>' in page
    )
    # Its own categories are the category's parents, shown at its foot as usual.
    assert f'<a href="{category("Romance").get_absolute_url()}">Romance</a>' in page

    listing = client.get(kisses.get_absolute_url())
    html = listing.content.decode()
    assert '<div class="category-description"><p>Every kiss.' in html  # as HTML
    assert [p.name for p in listing.context["parents"]] == ["Romance"]
    assert [m.article for m in listing.context["page"].object_list] == [member]

    romance = client.get(category("Romance").get_absolute_url())
    # The description page is listed as a subcategory, not as an article.
    assert [c.name for c in romance.context["subcategories"]] == ["Kisses"]
    assert list(romance.context["page"].object_list) == []


def test_a_description_page_written_before_its_category_creates_it(client, fan, moderator):
    page_article = publish(fan, moderator, "Category: Bloopers", body="Mistakes on set.")
    bloopers = Category.objects.get(slug="bloopers")
    assert bloopers.name == "Bloopers"
    assert bloopers.page == page_article
    article = publish(fan, moderator, "The fire drill", categories="bloopers")
    assert filed(article) == ["Bloopers"]


def test_a_description_page_moved_to_another_title_stops_describing(fan, author, moderator):
    page_article = publish(fan, moderator, "Category:Kisses", body="Every kiss.")
    assert category("Kisses").page == page_article
    moved = propose_names(page_article, author, categories="", title="Kisses (list)")
    approve(moved, moderator)
    assert category("Kisses").page is None


def test_only_published_versions_decide_even_when_several_wait(fan, author, moderator):
    article = publish(fan, moderator, "The kiss", categories="Kisses")
    propose_names(article, author, categories="Pranks")
    other = factories.make_user("other")
    propose_names(article, other, categories="Bloopers")
    assert filed(article) == ["Kisses"]
    assert Revision.objects.filter(article=article, status="pending").count() == 2
    assert list(Category.objects.values_list("name", flat=True)) == ["Kisses"]


def test_a_description_page_names_its_category_as_the_editor_would(client, fan, moderator):
    """ "Category:bloopers" makes the category "Bloopers", as "bloopers" typed in the
    categories field does: one name, listed in its place on the index."""
    publish(fan, moderator, "Category:bloopers", body="Mistakes on set.")
    publish(fan, moderator, "The fire drill", categories="Accidents")
    assert Category.objects.get(slug="bloopers").name == "Bloopers"
    index = client.get(reverse("categories:index")).content.decode()
    assert index.index(">Accidents</a>") < index.index(">Bloopers</a>")


def test_a_moved_article_sorts_under_its_new_title(client, fan, author, moderator):
    article = publish(fan, moderator, "Zany kiss", categories="Kisses")
    publish(fan, moderator, "Middle kiss", categories="Kisses")
    assert listed(client, "Kisses") == ["Middle kiss", "Zany kiss"]
    approve(propose_names(article, author, categories="Kisses", title="A kiss"), moderator)
    assert Membership.objects.get(article=article).sort_key == "a kiss"
    assert listed(client, "Kisses") == ["A kiss", "Middle kiss"]


def test_a_stale_proposal_s_category_change_is_merged_onto_the_newer_version(
    fan, author, moderator
):
    article = publish(fan, moderator, "The kiss", categories="Kisses")
    stale = propose_names(article, fan, categories="Pranks")  # Kisses removed, Pranks added
    refile(article, author, moderator, "Kisses, Bloopers")
    moderation.revision_approve_merged(revision=stale, moderator=moderator)
    article.refresh_from_db()
    assert article.approved_revision.categories == "Bloopers\nPranks"
    assert filed(article) == ["Bloopers", "Pranks"]
