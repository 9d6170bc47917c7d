import json

import pytest

from apps.api.tokens import token_create


class Api:
    """The test client speaking JSON to /api/v1/, with a token or none."""

    def __init__(self, client, token: str | None = None) -> None:
        self.client, self.token = client, token

    def _headers(self, headers):
        extra = dict(headers or {})
        if self.token:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return extra

    def get(self, path, data=None, **headers):
        return self.client.get(f"/api/v1{path}", data, **self._headers(headers))

    def post(self, path, payload=None, **headers):
        body = json.dumps(payload) if payload is not None else ""
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", **self._headers(headers)
        )


def make_token(user, scopes=("read", "propose")):
    _token, secret = token_create(user=user, name="test", scopes=list(scopes), expires_at=None)
    return secret


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def fan_api(client, fan):
    return Api(client, make_token(fan))


@pytest.fixture
def moderator_api(client, moderator):
    return Api(client, make_token(moderator, ("read", "propose", "moderate")))


def payload_for(article, **changes):
    """An edit of ``article``'s approved text as the API takes it: its citations kept."""
    article.refresh_from_db()
    current = article.approved_revision
    citations = [
        {"key": c.key, "source_id": c.source_id, "quote": c.quote, "locator": c.locator}
        for c in current.citations.order_by("position")
    ]
    body = {
        "body": current.body + " More.",
        "summary": "A small addition",
        "base_revision_id": current.pk,
        "citations": citations,
    }
    body.update(changes)
    return body
