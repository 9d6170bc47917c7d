"""A category never contains itself: filing a description page under its own category, or
under one inside it, is refused when proposed, in the editor, and when published."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.categories.models import Category, Membership
from apps.moderation import services as moderation
from apps.wiki.models import Article, Revision
from apps.wiki.services import WikiConflict
from tests.wiki.test_loop import citation_post, edit_post

from .helpers import approve, category, filed, propose, propose_names, publish

pytestmark = pytest.mark.django_db


def refused(error):
    return error.value.message_dict["categories"]


def test_a_category_cannot_be_filed_under_itself(fan):
    with pytest.raises(ValidationError) as error:
        propose(fan, "Category:Kisses", categories="Romance, kisses")
    assert refused(error) == ["The category “Kisses” cannot be filed under itself."]
    assert not Article.objects.exists() and not Revision.objects.exists()


def test_an_existing_category_cannot_be_filed_under_itself_by_an_edit(fan, author, moderator):
    page = publish(fan, moderator, "Category:Kisses", body="Every kiss.")
    with pytest.raises(ValidationError) as error:
        propose_names(page, author, categories="Category:Kisses")
    assert refused(error) == ["The category “Kisses” cannot be filed under itself."]
    assert page.revisions.count() == 1


def test_a_parent_cannot_be_filed_under_its_child(fan, author, moderator):
    publish(fan, moderator, "Category:A", body="About A.", categories="B")
    assert filed(category("A").page) == ["B"]
    with pytest.raises(ValidationError) as error:
        propose(author, "Category:B", body="About B.", categories="A")
    assert refused(error) == [
        "“A” is already inside “B” (A › B): filing “B” under it would make a loop."
    ]
    assert not Article.objects.filter(title="Category:B").exists()


def test_a_longer_loop_names_its_path(fan, moderator):
    publish(fan, moderator, "Category:A", body="About A.", categories="B")
    publish(fan, moderator, "Category:B", body="About B.", categories="C")
    page = publish(fan, moderator, "Category:C", body="About C.", categories="Other")
    with pytest.raises(ValidationError) as error:
        propose_names(page, fan, categories="Other, A")
    assert refused(error) == [
        "“A” is already inside “C” (A › B › C): filing “C” under it would make a loop."
    ]
    # A sibling or a category above is fine.
    approve(propose_names(page, fan, categories="Other, Top"), moderator)
    assert filed(page) == ["Other", "Top"]


def test_the_second_of_two_pending_proposals_that_make_a_loop_is_refused_when_published(
    fan, author, moderator
):
    a = publish(fan, moderator, "Category:A", body="About A.")
    b = publish(fan, moderator, "Category:B", body="About B.")
    a_under_b = propose_names(a, fan, categories="B")
    b_under_a = propose_names(b, author, categories="A")  # no loop yet: accepted
    approve(a_under_b, moderator)
    with pytest.raises(WikiConflict) as conflict:
        moderation.revision_approve(revision=b_under_a, moderator=moderator)
    assert "would make a loop" in conflict.value.message
    b_under_a.refresh_from_db()
    assert b_under_a.status == "pending"
    assert filed(b) == []
    assert filed(a) == ["B"]


def test_the_review_page_says_why_a_loop_cannot_be_approved(client, fan, author, moderator):
    a = publish(fan, moderator, "Category:A", body="About A.")
    b = publish(fan, moderator, "Category:B", body="About B.")
    a_under_b = propose_names(a, fan, categories="B")
    b_under_a = propose_names(b, author, categories="A")
    approve(a_under_b, moderator)
    client.force_login(moderator)
    response = client.post(reverse("moderation:approve", args=[b_under_a.pk]), follow=True)
    assert "would make a loop" in response.content.decode()
    assert filed(b) == []


def new_article_post(**fields):
    return {
        "title": "A new page",
        "body": "Some text. [@1]",
        "summary": "New",
        "categories": "",
        "aliases": "",
        **citation_post(rows=[{"kind": "web", "title": "A source", "locator": "p. 1"}]),
        **fields,
    }


def test_the_editor_shows_the_loop_and_keeps_what_was_typed(client, fan, moderator):
    publish(fan, moderator, "Category:A", body="About A.", categories="B")
    client.force_login(fan)
    typed = "Letters\nA|first"
    response = client.post(
        reverse("wiki:article-create"),
        new_article_post(title="Category:B", body="About B. [@1]", categories=typed),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form["categories"].value() == typed
    assert form["title"].value() == "Category:B"
    assert form.errors["categories"] == [
        "“A” is already inside “B” (A › B): filing “B” under it would make a loop."
    ]
    page = response.content.decode()
    assert "is already inside “B” (A › B)" in page
    assert "Letters\nA|first</textarea>" in page
    assert not Article.objects.filter(title="Category:B").exists()


def test_the_edit_page_shows_the_loop(client, fan, moderator):
    publish(fan, moderator, "Category:A", body="About A.", categories="B")
    b = publish(fan, moderator, "Category:B", body="About B.")
    client.force_login(fan)
    data = edit_post(b, client, body="About B. [@1]", summary="File it", categories="B")
    response = client.post(reverse("wiki:article-edit", args=[b.slug]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["categories"] == [
        "The category “B” cannot be filed under itself."
    ]
    data["categories"] = "a"
    response = client.post(reverse("wiki:article-edit", args=[b.slug]), data)
    assert response.status_code == 400
    assert "would make a loop" in response.context["form"].errors["categories"][0]
    assert b.revisions.count() == 1


def test_reserved_names_are_refused(fan):
    with pytest.raises(ValidationError) as error:
        propose(fan, "The kiss", categories="Suggest")
    assert refused(error) == ["“Suggest” is reserved by the wiki: choose another name."]


def test_an_ordinary_article_may_share_a_category_s_name(fan, moderator):
    article = publish(fan, moderator, "Kisses", categories="Kisses")
    assert filed(article) == ["Kisses"]
    assert category("Kisses").page is None
    assert Membership.objects.count() == 1
    assert Category.objects.count() == 1


def test_a_description_page_cannot_take_a_reserved_name(client, fan):
    with pytest.raises(ValidationError) as error:
        propose(fan, "Category:Suggest", body="Suggestions.")
    assert error.value.message_dict["title"] == [
        "“Suggest” is reserved by the wiki: choose another name."
    ]
    assert not Category.objects.exists() and not Article.objects.exists()


def test_moving_a_description_page_under_its_own_new_name_is_refused(client, fan, moderator):
    page = publish(fan, moderator, "Category:A", body="About A.", categories="B")
    client.force_login(fan)
    response = client.post(
        reverse("wiki:article-move", args=[page.slug]),
        {"title": "Category:B", "reason": "Renamed"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The category “B” cannot be filed under itself."
    ]
    assert "cannot be filed under itself" in response.content.decode()
    assert page.revisions.count() == 1
