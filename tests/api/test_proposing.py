"""Proposing over the API: the editor's forms and services, the same refusals."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.wiki.models import Article, Protection, Revision, RevisionStatus
from tests import factories
from tests.wiki.test_loop import edit_post

from .conftest import Api, make_token, payload_for

pytestmark = pytest.mark.django_db


def test_a_proposal_awaits_review_with_its_citations(fan_api, article, fan):
    payload = payload_for(article)
    response = fan_api.post(f"/articles/{article.slug}/proposals", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["awaits_review"] is True and data["auto_approved"] is False
    assert data["pending_count"] == 1
    revision = Revision.objects.get(pk=data["revision_id"])
    assert revision.status == RevisionStatus.PENDING and revision.author == fan
    assert revision.body == payload["body"] and revision.base == article.approved_revision
    assert revision.citations.get().source_id == payload["citations"][0]["source_id"]
    article.refresh_from_db()
    assert article.approved_revision != revision  # readers still see the old text


def test_a_trusted_fan_s_edit_is_published_at_once(fan_api, article, fan):
    fan.trust = Trust.TRUSTED
    fan.save()
    data = fan_api.post(f"/articles/{article.slug}/proposals", payload_for(article)).json()
    assert data["auto_approved"] is True and data["status"] == "approved"
    article.refresh_from_db()
    assert article.approved_revision_id == data["revision_id"]


def test_a_stale_base_answers_409_with_the_current_version(fan_api, article, author, moderator):
    payload = payload_for(article)
    newer = factories.propose_edit(article, author, body="Someone else's change.")
    moderation.revision_approve(revision=newer, moderator=moderator)
    before = Revision.objects.count()
    response = fan_api.post(f"/articles/{article.slug}/proposals", payload)
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"].endswith("#problem-stale-base")
    assert problem["current_revision_id"] == newer.pk
    assert Revision.objects.count() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"citations": []}, "citations", "Cite at least one source"),
        ({"summary": ""}, "summary", "This field is required"),
        ({"citations": [{"title": "Evil", "url": "javascript:alert(1)", "locator": "p. 1"}]},
         "citations.0.url", "Enter a valid URL"),
        ({"citations": [{"title": "Old", "url": "ftp://example.com/x", "locator": "p. 1"}]},
         "citations.0.url", "Only http and https"),
        ({"citations": [{"source_id": 999999, "locator": "p. 1"}]},
         "citations.0.source_id", ""),
        ({"citations": [{"title": "A source"}]}, "citations.0.locator", "supporting quote"),
        ({"body": "[" * 5000 + "x"}, "body", ""),
        ({"base_revision_id": 999999}, "base_revision_id", "does not belong"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_with_field_errors_and_nothing_written(
    fan_api, article, change, field, message
):
    before = (Revision.objects.count(), Article.objects.count())
    response = fan_api.post(f"/articles/{article.slug}/proposals", payload_for(article, **change))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["detail"] for e in errors), errors
    assert (Revision.objects.count(), Article.objects.count()) == before


@pytest.mark.parametrize(
    "body", ['{"body": 3}', "[]", "null", '{"body": "x", "citations": "many"}', "\x00"]
)
def test_malformed_bodies_are_problems_not_500s(fan_api, article, body):
    response = fan_api.client.post(
        f"/api/v1/articles/{article.slug}/proposals", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {fan_api.token}",
    )  # fmt: skip
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_a_protected_article_is_refused_as_on_the_site(fan_api, article, moderator):
    moderation.article_protect(
        article=article, level=Protection.MODERATORS, moderator=moderator, reason="War."
    )
    response = fan_api.post(f"/articles/{article.slug}/proposals", payload_for(article))
    assert response.status_code == 403
    assert "protected" in response.json()["detail"]


def test_writing_needs_a_token_with_the_propose_scope(api, client, fan, article):
    assert api.post(f"/articles/{article.slug}/proposals", payload_for(article)).status_code == 401
    reader = Api(client, make_token(fan, ("read",)))
    refused = reader.post(f"/articles/{article.slug}/proposals", payload_for(article))
    assert refused.status_code == 403 and "propose" in refused.json()["detail"]
    assert not Revision.objects.filter(author=fan).exists()


def test_the_session_works_with_csrf_only(client, fan, article):
    client.force_login(fan)
    checked = type(client)(enforce_csrf_checks=True)
    checked.force_login(fan)
    response = Api(checked).post(f"/articles/{article.slug}/proposals", payload_for(article))
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    checked.get(reverse("accounts:settings"))  # sets the csrftoken cookie
    token = checked.cookies["csrftoken"].value
    ok = Api(checked).post(
        f"/articles/{article.slug}/proposals", payload_for(article), HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 201


def test_a_new_article(fan_api, fan):
    episode = factories.make_episode()
    source = factories.make_source(created_by=fan)
    response = fan_api.post(
        "/articles",
        {
            "title": "Dundies trivia",
            "episode_id": episode.pk,
            "body": "Michael hosts. [@1]",
            "summary": "New article",
            "citations": [{"source_id": source.pk, "locator": "12:00"}],
            "categories": ["Awards"],
        },
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(title="Dundies trivia")
    revision = article.revisions.get()
    assert revision.pk == response.json()["revision_id"] and article.episode == episode
    assert revision.categories == "Awards"


def test_a_published_title_is_refused_on_its_field(fan_api, article):
    response = fan_api.post(
        "/articles",
        {"title": article.title, "body": "x [@1]", "summary": "s",
         "citations": [{"title": "A", "locator": "p. 1"}]},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_pending_proposals_are_capped_on_the_api_and_the_site(
    fan_api, client, article, fan, settings
):
    settings.PENDING_PROPOSALS_CAP = 2
    for _ in range(2):
        assert fan_api.post(f"/articles/{article.slug}/proposals",
                            payload_for(article)).status_code == 201  # fmt: skip
    response = fan_api.post(f"/articles/{article.slug}/proposals", payload_for(article))
    assert response.status_code == 429
    assert response.json()["waiting"] == 2 and response["Retry-After"]
    client.force_login(fan)
    page = client.post(
        reverse("wiki:article-edit", args=[article.slug]),
        edit_post(article, client, body="Original text. More. [@1]", summary="Again"),
    )
    assert page.status_code == 429
    assert "2 of your proposals await review" in page.content.decode()
    assert Revision.objects.filter(author=fan, status=RevisionStatus.PENDING).count() == 2


def test_withdrawing_one_s_own_proposal(fan_api, article):
    made = fan_api.post(f"/articles/{article.slug}/proposals", payload_for(article)).json()
    done = fan_api.post(f"/revisions/{made['revision_id']}/withdraw")
    assert done.json()["status"] == "withdrawn"
    assert Revision.objects.get(pk=made["revision_id"]).status == RevisionStatus.WITHDRAWN


# ---- One code path: the editor and the API answer the same inputs the same way -----


def _editor_outcome(client, article, body, summary, locator, url):
    data = edit_post(article, client, body=body, summary=summary)
    data["citations-0-locator"] = locator
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-title": "Another",
            "citations-1-url": url,
            "citations-1-locator": "p. 2",
            "citations-1-key": "2",
        }
    )
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    if response.status_code == 302:
        return "stored", set()
    context = response.context
    messages = {str(m) for errors in context["form"].errors.values() for m in errors}
    for row in context["formset"].forms:
        messages |= {str(m) for errors in row.errors.values() for m in errors}
    messages |= {str(m) for m in context["formset"].non_form_errors()}
    if context.get("conflict"):
        messages.add(context["conflict"])
    return "refused", messages


def _api_outcome(api, article, body, summary, locator, url):
    payload = payload_for(article, body=body, summary=summary)
    payload["citations"][0]["locator"] = locator
    payload["citations"].append({"key": 2, "title": "Another", "url": url, "locator": "p. 2"})
    response = api.post(f"/articles/{article.slug}/proposals", payload)
    if response.status_code == 201:
        return "stored", set()
    problem = response.json()
    return "refused", {e["detail"] for e in problem.get("errors", [])} or {problem["detail"]}


HOSTILE_BODIES = st.sampled_from(
    [
        "Fine text. [@1] [@2]",
        "<script>alert(1)</script> [@1] [@2]",
        "[x](javascript:alert(1)) [@1] [@2]",
        "No markers at all.",
        "Marker for a missing citation [@9]",
        "<<<<<<< mine\nA\n=======\nB\n>>>>>>> theirs [@1] [@2]",
        "![img](http://evil.example/x.png) [@1] [@2]",
        "",
        "   ",
        "*" * 3000 + " [@1] [@2]",
    ]
)
URLS = st.sampled_from(
    ["https://example.com/a", "javascript:alert(1)", "ftp://x.example/f", "not a url",
     "https://example.com:99999/", "http://[::1/", ""]
)  # fmt: skip
LOCATORS = st.sampled_from(["p. 4", "", "x" * 150, "12:00"])
SUMMARIES = st.sampled_from(["A change", "", "s" * 400])


# The client, article and settings are shared by the examples on purpose: each example
# posts against the same approved text, and the proposals they store may pile up.
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=HOSTILE_BODIES, summary=SUMMARIES, locator=LOCATORS, url=URLS)
def test_the_editor_and_the_api_answer_alike(
    client, fan_api, article, fan, settings, body, summary, locator, url
):
    """Posted to the editor and to the API, the same input is stored by both or refused
    by both with the same messages."""
    settings.PENDING_PROPOSALS_CAP = 0
    settings.RATELIMIT_ENABLE = False
    client.force_login(fan)
    editor = _editor_outcome(client, article, body, summary, locator, url)
    answered = _api_outcome(fan_api, article, body, summary, locator, url)
    assert editor == answered


def test_a_new_title_moves_the_article_through_review(fan_api, moderator_api, article):
    made = fan_api.post(
        f"/articles/{article.slug}/proposals", payload_for(article, title="Casino Night facts")
    ).json()
    assert made["awaits_review"] is True
    approved = moderator_api.post(f"/moderation/proposals/{made['revision_id']}/approve")
    assert approved.status_code == 200
    moved = fan_api.get(f"/articles/{article.slug}").json()  # the old address still answers
    assert moved["article"]["title"] == "Casino Night facts"
    assert moved["article"]["slug"] == "casino-night-facts"


def test_an_empty_title_is_refused_on_its_field(fan_api, article):
    response = fan_api.post(f"/articles/{article.slug}/proposals", payload_for(article, title=" "))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_an_idempotency_key_stores_a_retried_proposal_once(fan_api, article, fan):
    key = "0b8c6c3e-7d0e-4d8a-9d61-3f1f0f6b2a10"
    payload = payload_for(article)
    first = fan_api.post(f"/articles/{article.slug}/proposals", payload, HTTP_IDEMPOTENCY_KEY=key)
    again = fan_api.post(f"/articles/{article.slug}/proposals", payload, HTTP_IDEMPOTENCY_KEY=key)
    assert first.json()["revision_id"] == again.json()["revision_id"]
    assert Revision.objects.filter(author=fan).count() == 1
    bad = fan_api.post(f"/articles/{article.slug}/proposals", payload, HTTP_IDEMPOTENCY_KEY="x")
    assert bad.status_code == 422
