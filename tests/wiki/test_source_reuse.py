"""A new source with an address already known reuses only a source the fan may show.

Another fan's unreviewed (pending or rejected) description of the same page must
not become this fan's citation: its title would appear in this proposal's review
and, once approved, on every article citing the address.
"""

import pytest

from apps.moderation import services as moderation
from apps.wiki import services

pytestmark = pytest.mark.django_db

URL = "https://example.com/behind-the-kiss"


def propose_with_new_source(author, *, title, source_title, url=URL):
    return services.article_create(
        author=author,
        title=title,
        body="The kiss was filmed last. [@1]",
        summary="New article",
        episode=None,
        citations=[
            services.CitationInput(
                new_source={"kind": "web", "title": source_title, "url": url}, locator="para 3"
            )
        ],
    )


def cited_source(revision):
    return revision.citations.get().source


def test_it_does_not_reuse_another_fans_pending_source(fan, author):
    propose_with_new_source(author, title="First", source_title="ATTACKER TITLE")
    honest = propose_with_new_source(fan, title="Second", source_title="Honest title")
    assert cited_source(honest).title == "Honest title"
    assert cited_source(honest).created_by == fan


def test_it_does_not_reuse_another_fans_rejected_source(fan, author, moderator):
    attacker = propose_with_new_source(author, title="First", source_title="ATTACKER TITLE")
    moderation.revision_reject(revision=attacker, moderator=moderator, reason="Spam")
    honest = propose_with_new_source(fan, title="Second", source_title="Honest title")
    moderation.revision_approve(revision=honest, moderator=moderator)
    assert cited_source(honest).title == "Honest title"


def test_it_reuses_the_fans_own_pending_source(fan):
    first = propose_with_new_source(fan, title="First", source_title="My title")
    second = propose_with_new_source(fan, title="Second", source_title="Typed again")
    assert cited_source(second) == cited_source(first)


def test_it_reuses_a_source_that_approved_text_cites(fan, author, moderator):
    approved = propose_with_new_source(author, title="First", source_title="Reviewed title")
    moderation.revision_approve(revision=approved, moderator=moderator)
    later = propose_with_new_source(fan, title="Second", source_title="Another title")
    assert cited_source(later) == cited_source(approved)
    assert cited_source(later).title == "Reviewed title"


def test_a_fan_may_reuse_a_source_their_own_proposal_cites(fan, author, moderator):
    """A source someone else described (a moderator's suggestion carried in, the demo's seed)
    that the fan's own proposal cites stays theirs to cite when they revise it."""
    from apps.wiki.citing import reusable_sources
    from tests import factories

    article = factories.published_article(author, moderator)
    theirs = factories.make_source(title="Described by someone else", created_by=author)
    assert not reusable_sources(fan).filter(pk=theirs.pk).exists()
    factories.propose_edit(article, fan, body="A change.", source=theirs)
    assert reusable_sources(fan).filter(pk=theirs.pk).exists()
    assert not reusable_sources(factories.make_user("stranger")).filter(pk=theirs.pk).exists()
