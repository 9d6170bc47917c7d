"""Edge cases found in review: reused citation numbers, invalid merges, reverts, revisions."""

import pytest
from django.urls import reverse

from apps.accounts.models import Trust
from apps.citations.models import SourceKind
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.merging import has_conflict_markers, merge_revisions
from apps.wiki.models import RevisionStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def published(author, moderator, body, citations):
    revision = services.article_create(
        author=author, title="Edge", body=body, summary="New", citations=citations
    )
    moderation.revision_approve(revision=revision, moderator=moderator)
    revision.article.refresh_from_db()
    return revision.article


def edit(article, user, body, citations, base):
    return services.revision_propose(
        article=article, author=user, body=body, summary="Edit", citations=citations, base=base
    )


def test_a_reused_number_keeps_each_statement_on_its_own_source(author, moderator, fan):
    a, b, c = f.make_source("A"), f.make_source("B"), f.make_source("C")
    article = published(
        author, moderator, "Alpha [@1].\n\nBeta [@2].\n", [f.cite(a, key=1), f.cite(b, key=2)]
    )
    base = article.approved_revision
    stale = edit(
        article,
        fan,
        "Alpha new claim [@1].\n\nBeta [@2].\n",
        [f.cite(c, key=1), f.cite(b, key=2)],
        base,
    )
    newer = edit(
        article,
        f.make_user("other"),
        "Alpha [@1].\n\nBeta [@2].\n\nGamma, from A too [@1].\n",
        [f.cite(a, key=1), f.cite(b, key=2)],
        base,
    )
    moderation.revision_approve(revision=newer, moderator=moderator)
    merged = merge_revisions(base, newer, stale)
    sources = {citation.key: citation.source.title for citation in merged.citations}
    assert "Gamma, from A too [@1]" in merged.body and sources[1] == "A"
    assert any(title == "C" for title in sources.values())


def test_an_invalid_merge_is_a_conflict_not_an_error(client, author, moderator, fan):
    sources = [f.make_source(name) for name in "ABCD"]

    def cites(keys):
        return [f.cite(sources[key - 1], key=key) for key in keys]

    article = published(author, moderator, "Claim [disputed @1 @2 @3 @4].\n", cites([1, 2, 3, 4]))
    base = article.approved_revision
    stale = edit(article, fan, "Claim [disputed @2 @3 @4].\n", cites([2, 3, 4]), base)
    newer = edit(article, f.make_user("other"), "Claim [disputed @1 @2].\n", cites([1, 2]), base)
    moderation.revision_approve(revision=newer, moderator=moderator)
    merged = merge_revisions(base, newer, stale)
    assert not merged.clean and merged.problems
    client.force_login(moderator)
    page = client.get(reverse("moderation:review", args=[stale.pk])).content.decode()
    assert "Approve the merged text" not in page
    response = client.post(reverse("moderation:approve-merged", args=[stale.pk]))
    assert response.status_code == 409
    stale.refresh_from_db()
    assert stale.status == RevisionStatus.PENDING


def test_revising_a_rejected_proposal_never_undoes_newer_text(client, author, moderator, fan):
    a = f.make_source("A")
    article = published(author, moderator, "Line one [@1].\n\nLine two.\n", [f.cite(a, key=1)])
    base = article.approved_revision
    rejected = edit(article, fan, "Line one [@1].\n\nLine two, edited.\n", [f.cite(a, key=1)], base)
    moderation.revision_reject(revision=rejected, moderator=moderator, reason="Typo")
    newer = edit(
        article, f.make_user("other"), "New fact [@1].\n\nLine one [@1].\n\nLine two.\n",
        [f.cite(a, key=1)], base,
    )  # fmt: skip
    moderation.revision_approve(revision=newer, moderator=moderator)
    client.force_login(fan)
    page = client.get(reverse("wiki:article-edit", args=[article.slug]), {"from": rejected.pk})
    body = page.context["form"].initial["body"]
    assert "New fact" in body and "Line two, edited." in body
    assert not has_conflict_markers(body)


def test_revert_copies_citations_as_stored(client, author, moderator, fan, staff):
    web = f.make_source("Web page", url="https://example.com/a")
    podcast = f.make_source("Podcast", kind=SourceKind.PODCAST)
    article = published(author, moderator, "Old fact [@1].\n", [f.cite(web, key=1, locator="12")])
    old = article.approved_revision
    moderation.revision_approve(
        revision=edit(
            article, fan, "New fact [@1].\n", [f.cite(podcast, key=1, locator="1:00")], old
        ),
        moderator=moderator,
    )
    services.source_merge(keep=podcast, duplicates=[web], actor=staff, reason="Same")
    client.force_login(moderator)
    url = reverse("moderation:revert", args=[article.slug, old.pk])
    assert client.post(url, {"reason": "Vandalism"}).status_code == 302
    article.refresh_from_db()
    assert article.approved_revision.citations.get().locator == "12"
    # Reverting again to the same text is refused rather than repeated.
    client.post(url, {"reason": "Again"})
    assert article.revisions.approved().count() == 3


def test_a_setext_heading_is_not_a_conflict_marker():
    assert not has_conflict_markers("Title\n=======\n\nText")


def test_a_crafted_next_on_the_trust_form(client, moderator, fan):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:trust", args=[fan.username]),
        {"trust-trust": "trusted", "next": "queue"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("moderation:queue")
    fan.refresh_from_db()
    assert fan.trust == Trust.TRUSTED
