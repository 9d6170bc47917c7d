"""The review page's decision panel offers exactly the decisions that exist."""

import re

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from tests import factories

pytestmark = pytest.mark.django_db

BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


@pytest.fixture
def base_article(author, moderator):
    return factories.published_article(author, moderator, body=BODY)


def stale_proposal(article, fan, moderator, *, conflicting):
    """A proposal written on text a later approval changed, touching the same line or not."""
    proposal = factories.propose_edit(
        article, fan, body="First paragraph, edited.\n\nSecond paragraph.\n\nThird paragraph."
    )
    newer_first = "First paragraph, edited otherwise." if conflicting else "First paragraph."
    newer = factories.propose_edit(
        article, factories.make_user("other"), body=f"{newer_first}\n\nSecond paragraph.\n\nThird!"
    )
    moderation.revision_approve(revision=newer, moderator=moderator)
    return proposal


def panel(client, proposal):
    page = client.get(reverse("moderation:review", args=[proposal.pk])).content.decode()
    return page[page.index('id="decision"') :]


def buttons(html):
    return re.findall(r"<button[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]+)</button>", html)


def test_a_fresh_proposal_offers_approve(client, base_article, fan, moderator):
    proposal = factories.propose_edit(base_article, fan, body="Changed. ")
    client.force_login(moderator)
    shown = panel(client, proposal)
    assert buttons(shown)[:3] == ["Approve", "Request changes…", "Reject…"]
    assert "Approve merged" not in shown and "disabled" not in shown


def test_a_stale_proposal_that_merges_offers_approve_merged(client, base_article, fan, moderator):
    proposal = stale_proposal(base_article, fan, moderator, conflicting=False)
    client.force_login(moderator)
    shown = panel(client, proposal)
    assert "Approve merged" in buttons(shown) and "Approve" not in buttons(shown)
    assert reverse("moderation:approve-merged", args=[proposal.pk]) in shown
    assert "disabled" not in shown
    page = client.get(reverse("moderation:review", args=[proposal.pk])).content.decode()
    assert 'id="merge-heading"' in page  # the merged text it would publish is on the page


def test_a_stale_proposal_that_conflicts_offers_no_approval(client, base_article, fan, moderator):
    proposal = stale_proposal(base_article, fan, moderator, conflicting=True)
    client.force_login(moderator)
    shown = panel(client, proposal)
    assert not [b for b in buttons(shown) if b.startswith("Approve")]
    assert "conflict with the newer text" in shown
    assert {"Request changes…", "Reject…"} <= set(buttons(shown))


def test_every_id_on_the_review_page_is_unique(client, base_article, fan, moderator):
    proposal = factories.propose_edit(base_article, fan, body="Changed. ")
    client.force_login(moderator)
    page = client.get(reverse("moderation:review", args=[proposal.pk])).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert 'for="reject_reason"' in page and 'for="request_reason"' in page


def test_a_refused_rejection_comes_back_inline_with_what_was_typed(
    client, base_article, fan, moderator
):
    proposal = factories.propose_edit(base_article, fan, body="Changed. ")
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[proposal.pk]), {"reason_code": "", "reason": "x" * 3000}
    )
    assert response.status_code == 400
    shown = response.content.decode()
    assert 'class="decision decision-panel decision-panel-open"' in shown
    assert '<div id="reject-form" class="decision-popover" role="dialog"' in shown  # not folded
    assert '<div id="request-form" class="decision-popover" popover' in shown
