"""Personal access tokens: made once and shown once, stored hashed, scoped, expiring,
revocable by their owner and staff, and every write made with one on the record."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.api.models import ApiToken, TokenAction, TokenEvent
from apps.api.tokens import token_create, token_revoke
from tests import factories

from .conftest import Api, make_token, payload_for

pytestmark = pytest.mark.django_db


def test_only_a_digest_of_the_secret_is_stored(fan):
    token, secret = token_create(user=fan, name="bot", scopes=["read"], expires_at=None)
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith(f"fwk_{stored.prefix}_")
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {getattr(stored, f.attname) for f in ApiToken._meta.fields}
    assert TokenEvent.objects.filter(token=token, action=TokenAction.CREATED, actor=fan).exists()


def test_a_fan_cannot_make_a_moderating_token(fan):
    with pytest.raises(PermissionDenied):
        token_create(user=fan, name="bot", scopes=["moderate"], expires_at=None)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("scopes", [[], ["write"], ["read", "admin"]])
def test_unknown_or_no_scopes_are_refused(fan, scopes):
    with pytest.raises(ValidationError):
        token_create(user=fan, name="bot", scopes=scopes, expires_at=None)


def test_the_command_prints_the_token_alone_on_its_last_line(moderator, client):
    out = StringIO()
    call_command("api_token", "create", moderator.username, "--scopes", "read,propose,moderate",
                 stdout=out, stderr=StringIO())  # fmt: skip
    secret = out.getvalue().strip().splitlines()[-1]
    assert ApiToken.objects.get().scope_set == {"read", "propose", "moderate"}
    response = Api(client, secret).get("/moderation/queue")
    assert response.status_code == 200


def test_the_command_refuses_a_moderating_token_for_a_fan(fan):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Only moderators"):
        call_command("api_token", "create", fan.username, "--scopes", "moderate",
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip


@pytest.mark.parametrize(
    "header",
    [
        "Bearer fwk_nothing_here",
        "Bearer ",
        "Token abc",
        "Basic Zm9vOmJhcg==",
        "Bearer " + "x" * 500,
    ],
)
def test_a_bad_token_answers_401_as_a_problem_even_on_reads(client, header, article):
    response = client.get(f"/api/v1/articles/{article.slug}", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_revoked_and_expired_tokens_stop_working(client, fan, article):
    secret = make_token(fan)
    token = ApiToken.objects.get()
    assert Api(client, secret).get(f"/articles/{article.slug}").status_code == 200
    token_revoke(token=token, actor=fan)
    assert Api(client, secret).get(f"/articles/{article.slug}").status_code == 401
    other = make_token(fan)
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Api(client, other).get(f"/articles/{article.slug}").status_code == 401


def test_only_the_owner_or_staff_revoke(fan, author):
    token, _secret = token_create(user=fan, name="bot", scopes=["read"], expires_at=None)
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, actor=author)
    staff = factories.make_user("staffer", staff=True)
    token_revoke(token=token, actor=staff)
    token.refresh_from_db()
    assert token.revoked_by == staff and token.state == "revoked"


def test_a_deactivated_account_s_token_stops_working(client, fan, article):
    secret = make_token(fan)
    fan.is_active = False
    fan.save()
    assert Api(client, secret).get(f"/articles/{article.slug}").status_code == 401


def test_last_use_is_recorded(client, fan, article):
    secret = make_token(fan)
    Api(client, secret).get(f"/articles/{article.slug}")
    assert ApiToken.objects.get().last_used_at is not None


def test_every_write_with_a_token_is_on_the_record(client, fan, article):
    secret = make_token(fan)
    response = Api(client, secret).post(f"/articles/{article.slug}/proposals", payload_for(article))
    assert response.status_code == 201
    refused = Api(client, secret).post(f"/articles/{article.slug}/proposals", {"body": "x"})
    assert refused.status_code == 422
    uses = TokenEvent.objects.filter(action=TokenAction.USED).order_by("id")
    assert [(u.method, u.path, u.status) for u in uses] == [
        ("POST", f"/api/v1/articles/{article.slug}/proposals", 201),
        ("POST", f"/api/v1/articles/{article.slug}/proposals", 422),
    ]
    assert all(u.actor == fan for u in uses)
    Api(client, secret).get(f"/articles/{article.slug}")
    assert TokenEvent.objects.filter(action=TokenAction.USED).count() == 2  # reads are not


def test_the_account_page_makes_shows_once_and_revokes(client, fan):
    assert factories.log_in(client, fan.username)
    page = client.get(reverse("accounts:settings"))
    assert b"API tokens" in page.content
    made = client.post(
        reverse("api:token-new"), {"name": "phone", "scopes": ["read", "propose"], "expires": "30"}
    )
    assert made.status_code == 200
    token = ApiToken.objects.get()
    secret = made.context["secret"]
    assert secret.encode() in made.content
    assert "no-store" in made["Cache-Control"] or "no-cache" in made["Cache-Control"]
    assert token.expires_at is not None and token.scope_set == {"read", "propose"}
    # Never shown again: the list names it by its prefix only.
    again = client.get(reverse("accounts:settings"))
    assert secret.encode() not in again.content and token.prefix.encode() in again.content
    client.post(reverse("api:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_account_page_refuses_a_moderating_scope_to_a_fan(client, fan):
    assert factories.log_in(client, fan.username)
    response = client.post(
        reverse("api:token-new"), {"name": "sneaky", "scopes": ["moderate"], "expires": "30"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_one_cannot_revoke_another_s_token(client, fan, author):
    token, _ = token_create(user=author, name="theirs", scopes=["read"], expires_at=None)
    assert factories.log_in(client, fan.username)
    response = client.post(reverse("api:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
