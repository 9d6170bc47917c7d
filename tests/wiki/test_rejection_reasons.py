"""A rejection's reason travels with the proposal: category and note wherever the fan looks."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from tests import factories

pytestmark = pytest.mark.django_db

CATEGORY = "Copied wording: write it in your own words"
NOTE = "The second paragraph is copied from the source."


@pytest.fixture
def rejected(article, fan, moderator):
    proposal = factories.propose_edit(article, fan, body="Copied words.")
    moderation.revision_reject(
        revision=proposal, moderator=moderator, reason=NOTE, reason_code="wording"
    )
    return proposal


def shows_both(response):
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<span class="badge badge-reason">{CATEGORY}</span>' in page
    assert NOTE in page


def test_my_contributions(client, fan, rejected):
    client.force_login(fan)
    shows_both(client.get(reverse("wiki:contributions")))


def test_the_revision_page(client, fan, rejected):
    client.force_login(fan)
    shows_both(client.get(rejected.get_absolute_url()))


def test_the_revise_form(client, fan, rejected):
    client.force_login(fan)
    edit = reverse("wiki:article-edit", args=[rejected.article.slug])
    shows_both(client.get(edit, {"from": rejected.pk}))


def test_the_audit_log(client, moderator, rejected):
    client.force_login(moderator)
    shows_both(client.get(reverse("moderation:audit")))


def test_a_category_alone_is_shown_once(client, article, fan, moderator):
    proposal = factories.propose_edit(article, fan, body="Off topic.")
    moderation.revision_reject(
        revision=proposal, moderator=moderator, reason="", reason_code="off-topic"
    )
    client.force_login(fan)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert page.count("Off topic for this article") == 1
