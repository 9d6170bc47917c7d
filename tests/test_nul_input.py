"""A NUL character in an address or a form answers 404 or a message, never a 500.

PostgreSQL refuses any string holding NUL (SQLite takes it), so on PostgreSQL
each of these was a database error. On both, the test checks the status and
that nothing was written.
"""

import pytest
from django.urls import Resolver404, resolve, reverse

from apps.moderation.models import TrustChange
from apps.wiki.models import AuditEvent, RevisionStatus
from tests import factories
from tests.wiki.test_admin import admin_moderator, run_action  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_profile_address_with_nul_is_a_404(client, fan):
    # It matches no address, so no query is made (on SQLite too, where NUL is no error).
    with pytest.raises(Resolver404):
        resolve("/users/a\x00b/")
    assert client.get("/users/a%00b/").status_code == 404
    assert client.get(f"/users/{fan.username}%00/").status_code == 404


def test_the_trust_form_for_a_username_with_nul_is_a_404(client, fan, moderator):
    client.force_login(moderator)
    response = client.post(
        f"/moderation/users/{fan.username}%00/trust/", {"trust-trust": "trusted"}
    )
    assert response.status_code == 404
    fan.refresh_from_db()
    assert fan.trust == "auto"
    assert not TrustChange.objects.exists()


def test_a_trust_reason_with_nul_is_refused_with_a_message(client, fan, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:trust", args=[fan.username]),
        {"trust-trust": "trusted", "trust-reason": "Reli\x00able"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Trust not changed. Reason: Null characters are not allowed." in [
        str(m) for m in response.context["messages"]
    ]
    fan.refresh_from_db()
    assert fan.trust == "auto"
    assert not TrustChange.objects.exists()


def test_the_spoiler_setting_for_a_show_with_nul_is_a_404(client, episode):
    show = episode.season.show
    response = client.post(reverse("wiki:spoilers"), {"show": f"{show.slug}\x00"})
    assert response.status_code == 404


def test_recent_changes_ignore_a_show_or_user_with_nul(client, article):
    response = client.get(reverse("wiki:recent"), {"show": "a\x00b", "user": "a\x00b"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url_name", "param"),
    [("wiki:search", "q"), ("wiki:source-list", "q"), ("wiki:source-autocomplete", "q")],
)
def test_searches_with_nul_answer(client, fan, article, url_name, param):
    client.force_login(fan)
    assert client.get(reverse(url_name), {param: "orig\x00inal"}).status_code == 200


def test_moderation_filters_with_nul_are_ignored(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("moderation:queue"), {"author": "a\x00b"}).status_code == 200
    assert client.get(reverse("moderation:audit"), {"actor": "a\x00b"}).status_code == 200


def test_the_admins_reject_reason_with_nul_asks_again(client, article, fan, admin_moderator):  # noqa: F811
    proposal = factories.propose_edit(article, fan)
    client.force_login(admin_moderator)
    response = run_action(
        client, "reject_selected", [proposal], apply="1", reason="Needs\x00 a source."
    )
    assert response.status_code == 200
    assert "cannot contain NUL characters" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING
    assert not AuditEvent.objects.filter(revision=proposal, to_status="rejected").exists()
