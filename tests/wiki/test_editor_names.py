"""The editor's categories and other names: typed as fans type them, stored in one form,
kept when the form comes back with a message, and opened as the article has them."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki.models import Revision
from tests.wiki.test_bad_input import new_article_post
from tests.wiki.test_loop import edit_post

pytestmark = pytest.mark.django_db


def test_a_new_article_carries_its_categories_and_other_names(client, fan, moderator):
    client.force_login(fan)
    data = new_article_post(
        categories="kisses, Category: Season finales\nKisses|First\n",
        aliases="Jim and Pam's first kiss\n\nA new page\n",
    )
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 302
    revision = Revision.objects.get()
    # Sorted, one per line, "Category:" dropped, the same name once, the title not an alias.
    assert revision.categories == "Kisses\nSeason finales"
    assert revision.aliases == "Jim and Pam's first kiss"
    assert revision.title == "A new page"

    client.force_login(moderator)
    moderation.revision_approve(revision=revision, moderator=moderator)
    client.force_login(fan)
    form = client.get(reverse("wiki:article-edit", args=["a-new-page"])).context["form"]
    assert form["categories"].value() == "Kisses\nSeason finales"
    assert form["aliases"].value() == "Jim and Pam's first kiss"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("categories", "Good, Bad [name]", "cannot hold"),
        ("categories", "x" * 101, "too long"),
        ("categories", "!!!", "at least one letter"),
        ("aliases", "New", "reserved"),
    ],
)
def test_a_bad_name_shows_the_form_again_with_what_was_typed(
    client, article, fan, field, value, message
):
    client.force_login(fan)
    data = edit_post(article, client, body="Changed. [@1]", summary="Names", **{field: value})
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 400
    assert response.context["form"][field].value() == value
    assert message in " ".join(response.context["form"].errors[field])
    assert article.revisions.count() == 1


def test_an_edit_that_keeps_the_categories_changes_none(client, article, fan, moderator):
    client.force_login(fan)
    data = edit_post(article, client, body="Changed. [@1]", summary="Cats", categories="Kisses")
    client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    moderation.revision_approve(revision=Revision.objects.latest("pk"), moderator=moderator)
    data = edit_post(article, client, body="Changed again. [@1]", summary="Text only")
    client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert Revision.objects.latest("pk").categories == "Kisses"


def test_the_editor_offers_category_suggestions(client, fan):
    client.force_login(fan)
    page = client.get(reverse("wiki:article-create")).content.decode()
    assert 'id="category-suggestions"' in page
    assert 'data-url="/categories/suggest/"' in page
    assert "js/categories.js" in page
