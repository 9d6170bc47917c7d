"""Merging two categories in the admin: the articles move, the old address and name lead
to the one kept, and nothing else is edited by hand."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.categories import services
from apps.categories.models import Category, Membership
from tests import factories

from .helpers import category, filed, members, publish, refile

pytestmark = pytest.mark.django_db

MERGE = "admin:categories_category_merge"


@pytest.fixture
def filed_twice(fan, moderator):
    """Two articles under "Kiss", one of them under "Kisses" too, and one under "Kisses"."""
    both = publish(fan, moderator, "The kiss", categories="Kiss|first, Kisses")
    only_old = publish(fan, moderator, "Pranks and kisses", categories="Kiss")
    only_new = publish(fan, moderator, "Another kiss", categories="Kisses")
    return both, only_old, only_new


@pytest.fixture
def moderator_in_admin(db):
    return factories.make_user("deskmod", moderator=True, staff=True)


def post_merge(client, merged, into, **kwargs):
    return client.post(reverse(MERGE), {"merged": merged.pk, "into": into.pk}, **kwargs)


@pytest.mark.parametrize("who", ["staff", "moderator_in_admin"])
def test_a_merge_moves_the_articles_and_the_old_page_leads_to_the_kept_one(
    client, filed_twice, who, request
):
    both, only_old, only_new = filed_twice
    old, kept = category("Kiss"), category("Kisses")
    client.force_login(request.getfixturevalue(who))
    response = post_merge(client, old, kept, follow=True)
    assert response.redirect_chain == [(reverse("admin:categories_category_changelist"), 302)]
    assert "“Kiss” was merged into “Kisses”: 1 article(s) moved" in response.content.decode()

    old.refresh_from_db()
    assert old.merged_into == kept
    assert not old.memberships.exists()
    assert filed(both) == filed(only_old) == filed(only_new) == ["Kisses"]
    assert Membership.objects.count() == 3
    # Each keeps the sort key it had (the kept category's, when it was in both).
    assert Membership.objects.get(article=only_old).sort_key == "pranks and kisses"
    assert Membership.objects.get(article=both).sort_key == "the kiss"

    client.logout()
    answer = client.get(old.get_absolute_url())
    assert answer.status_code == 301
    assert answer["Location"] == kept.get_absolute_url()
    page = client.get(kept.get_absolute_url()).content.decode()
    assert members(page) == ["Another kiss", "Pranks and kisses", "The kiss"]
    # Gone from the index and from the suggestions.
    index = client.get(reverse("categories:index")).content.decode()
    assert 'href="/categories/kiss/"' not in index
    assert client.get(reverse("categories:suggest"), {"q": "kis"}).json() == {"names": ["Kisses"]}


def test_a_later_version_naming_the_old_category_files_under_the_kept_one(
    staff, filed_twice, author, moderator
):
    both, only_old, only_new = filed_twice
    services.category_merge(merged=category("Kiss"), into=category("Kisses"), moderator=staff)
    refile(only_new, author, moderator, "Kiss|aaa, Pranks")
    assert filed(only_new) == ["Kisses", "Pranks"]
    assert Membership.objects.get(article=only_new, category__name="Kisses").sort_key == "aaa"
    # A new article too.
    article = publish(author, moderator, "New kiss", categories="kiss")
    assert filed(article) == ["Kisses"]
    assert Category.objects.filter(slug="kiss").count() == 1


def test_merging_a_category_into_itself_is_refused_with_a_message(client, staff, filed_twice):
    old = category("Kiss")
    client.force_login(staff)
    response = post_merge(client, old, old)
    assert response.status_code == 200
    assert "Choose two different categories." in response.content.decode()
    old.refresh_from_db()
    assert old.merged_into is None
    assert old.memberships.count() == 2


def test_merging_into_a_merged_category_is_refused(client, staff, filed_twice, fan, moderator):
    publish(fan, moderator, "Prank", categories="Pranks")
    services.category_merge(merged=category("Kiss"), into=category("Kisses"), moderator=staff)
    with pytest.raises(ValidationError, match="was itself merged"):
        services.category_merge(merged=category("Pranks"), into=category("Kiss"), moderator=staff)
    # The form does not offer merged categories at all.
    client.force_login(staff)
    response = post_merge(client, category("Pranks"), category("Kiss"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert category("Pranks").merged_into is None


def test_merging_a_category_into_one_inside_it_is_refused(staff, fan, moderator):
    publish(fan, moderator, "Category:Kisses", body="Every kiss.", categories="Romance")
    with pytest.raises(ValidationError, match="merging would make a loop"):
        services.category_merge(
            merged=category("Romance"), into=category("Kisses"), moderator=staff
        )


def test_only_moderators_merge(client, filed_twice):
    desk = factories.make_user("desk", staff=True)  # staff, not a moderator
    client.force_login(desk)
    assert post_merge(client, category("Kiss"), category("Kisses")).status_code == 403
    assert category("Kiss").merged_into is None
    with pytest.raises(ValidationError):
        services.category_merge(merged=category("Kiss"), into=category("Kisses"), moderator=desk)
    fan = factories.make_user("plainfan")
    client.force_login(fan)
    response = post_merge(client, category("Kiss"), category("Kisses"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert category("Kiss").merged_into is None


def test_the_admin_action_opens_the_form_with_the_chosen_category(client, staff, filed_twice):
    old = category("Kiss")
    client.force_login(staff)
    response = client.post(
        reverse("admin:categories_category_changelist"),
        {"action": "merge_selected", "_selected_action": [old.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(MERGE)}?merged={old.pk}"
    form = client.get(response["Location"]).content.decode()
    assert f'<option value="{old.pk}" selected>Kiss</option>' in form


def test_a_merged_description_page_does_not_break_publishing(
    staff, fan, author, moderator, filed_twice
):
    """The merged category's description page, edited after the merge, still publishes."""
    page = publish(fan, moderator, "Category:Kiss", body="Kisses, briefly.")
    services.category_merge(merged=category("Kiss"), into=category("Kisses"), moderator=staff)
    refile(page, author, moderator, "Romance")
    assert filed(page) == ["Romance"]


def test_a_description_page_written_after_a_merge_describes_the_kept_category(
    staff, fan, moderator, filed_twice
):
    services.category_merge(merged=category("Kiss"), into=category("Kisses"), moderator=staff)
    page = publish(fan, moderator, "Category:Kiss", body="Kisses, briefly.")
    assert category("Kisses").page == page
    assert category("Kiss").page is None


def test_a_subcategory_merged_into_its_parent_is_not_listed_inside_it(
    client, staff, fan, moderator
):
    publish(fan, moderator, "Category:Kiss", body="Kisses, briefly.", categories="Kisses")
    publish(fan, moderator, "Category:Pecks", body="Small ones.", categories="Kisses")
    kisses = category("Kisses")
    assert [c.name for c in client.get(kisses.get_absolute_url()).context["subcategories"]] == [
        "Kiss",
        "Pecks",
    ]
    services.category_merge(merged=category("Kiss"), into=kisses, moderator=staff)
    page = client.get(kisses.get_absolute_url())
    assert [c.name for c in page.context["subcategories"]] == ["Pecks"]
    assert 'href="/categories/kiss/"' not in page.content.decode()
