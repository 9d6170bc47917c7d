"""The whole loop through the browser-facing views: propose, review, read."""

import pytest
from django.urls import reverse

from apps.wiki.models import Article, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def citation_post(prefix="citations", rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def editor_post(response, **overrides):
    """The editor's form as the browser submits it, as it was opened (every field, the
    citation rows prefilled), plus overrides."""
    form, formset = response.context["form"], response.context["formset"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "citations-TOTAL_FORMS": str(formset.total_form_count()),
            "citations-INITIAL_FORMS": str(formset.initial_form_count()),
            "citations-MIN_NUM_FORMS": "1",
            "citations-MAX_NUM_FORMS": "30",
        }
    )
    for index, row in enumerate(formset.forms):
        for name, field in row.fields.items():
            value = row.initial.get(name, field.initial)
            if value not in (None, "", False):
                data[f"citations-{index}-{name}"] = value
    data.update(overrides)
    return data


def edit_post(article, client, **overrides):
    """The edit form as the browser would submit it: prefilled rows (and the article's
    categories and other names as they are), an empty text and summary, plus overrides."""
    response = client.get(reverse("wiki:article-edit", args=[article.slug]))
    return editor_post(response, **{"body": "", "summary": "", **overrides})


def test_the_whole_loop(client, article, fan, moderator):
    # A source the fan described earlier, not yet cited by approved text: theirs to reuse.
    source = factories.make_source("Office Ladies podcast", kind="podcast", created_by=fan)
    client.force_login(fan)
    data = edit_post(
        article,
        client,
        body="Original text. [@1]\n\nThe director never called action.[@2]",
        summary="Add the director's trick",
    )
    data.update(
        {
            "citations-TOTAL_FORMS": str(int(data["citations-TOTAL_FORMS"]) + 1),
            "citations-1-source": str(source.pk),
            "citations-1-locator": "34:10",
        }
    )
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    proposal = Revision.objects.get(author=fan)
    assert proposal.status == RevisionStatus.PENDING
    assert proposal.base_id == article.approved_revision_id
    assert [c.source_id for c in proposal.citations.all()][-1] == source.pk
    assert proposal.citations.count() == 2  # the carried-over citation and the new one

    # The fan sees that it awaits review, on the article and on their contributions.
    page = client.get(article.get_absolute_url())
    assert b"awaits review" in page.content
    assert "Add the director" in client.get(reverse("wiki:contributions")).content.decode()

    # A reader still sees the old text.
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Original text." in page and "never called action" not in page

    client.force_login(moderator)
    review = client.get(reverse("moderation:review", args=[proposal.pk]))
    assert review.status_code == 200
    assert "never called action" in review.content.decode()
    response = client.post(reverse("moderation:approve", args=[proposal.pk]))
    assert response.status_code == 302

    client.logout()
    article.refresh_from_db()
    assert article.approved_revision_id == proposal.pk
    page = client.get(article.get_absolute_url()).content.decode()
    assert "never called action" in page
    assert "Office Ladies podcast" in page and "34:10" in page


def test_a_rejected_proposal_never_reaches_readers(client, article, fan, moderator):
    proposal = factories.propose_edit(article, fan, body="Vandalism!")
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[proposal.pk]), {"reason": "No source says this."}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.REJECTED
    assert proposal.decision_reason == "No source says this."

    client.logout()
    assert "Vandalism" not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(proposal.get_absolute_url()).status_code == 404

    client.force_login(fan)
    assert "No source says this." in client.get(reverse("wiki:contributions")).content.decode()
    assert "No source says this." in client.get(proposal.get_absolute_url()).content.decode()


def test_a_fan_creates_an_article_with_a_new_source(client, fan, moderator, episode):
    client.force_login(fan)
    data = {
        "title": "Casino Night trivia",
        "episode": str(episode.pk),
        "body": "## The kiss\n\nIt was filmed late.[@1]",
        "summary": "New article",
        **citation_post(
            rows=[
                {
                    "kind": "web",
                    "title": "The story behind the kiss",
                    "url": "HTTPS://Example.COM/story/?utm_source=x",
                    "quote": "It was filmed late.",
                }
            ]
        ),
    }
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 302
    article = Article.objects.get(slug="casino-night-trivia")
    assert article.approved_revision is None
    citation = article.revisions.get().citations.get()
    assert citation.source.url == "https://example.com/story"

    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert b"Casino Night trivia" not in client.get(episode.get_absolute_url()).content


def test_a_proposal_without_citations_keeps_what_was_typed(client, fan, episode):
    client.force_login(fan)
    data = {
        "title": "Uncited",
        "body": "A claim with no source, typed with care.",
        "summary": "New",
        **citation_post(rows=[{"kind": "web"}]),
    }
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "A claim with no source, typed with care." in content
    assert "Choose an existing source or give the new source a title" in content
    assert not Article.objects.filter(title="Uncited").exists()


def test_deleting_every_citation_is_refused(client, article, fan):
    client.force_login(fan)
    data = edit_post(article, client, body="New text", summary="Edit")
    data["citations-0-DELETE"] = "on"
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 400
    assert "Cite at least one source" in response.content.decode()
    assert not Revision.objects.filter(author=fan).exists()


def test_a_rejected_proposal_can_be_revised(client, article, fan, moderator):
    proposal = factories.propose_edit(article, fan, body="First try, unsourced claim.")
    client.force_login(moderator)
    client.post(reverse("moderation:reject", args=[proposal.pk]), {"reason": "Cite it."})
    client.force_login(fan)
    url = reverse("wiki:article-edit", args=[article.slug])
    response = client.get(url, {"from": proposal.pk})
    assert response.context["form"].initial["body"] == "First try, unsourced claim. [@1]"
    # Someone else's revision cannot be used as a starting point.
    other = factories.propose_edit(article, factories.make_user("other"), body="Not yours")
    assert client.get(url, {"from": other.pk}).status_code == 404
