import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:email-change")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def post(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(CHANGE, data)

    return post


def test_a_new_address_is_unverified_and_gets_a_link(client, fan, mailoutbox, committed):
    client.force_login(fan)
    response = committed(client, {"email": "new@example.com", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:settings")
    fan.refresh_from_db()
    assert fan.email == "new@example.com"
    assert fan.email_verified_at is None
    [mail] = mailoutbox
    assert mail.to == ["new@example.com"]
    assert "/accounts/verify/" in mail.body


def test_the_same_address_changes_nothing(client, fan, mailoutbox, committed):
    client.force_login(fan)
    committed(client, {"email": "fan@example.com", "password": PASSWORD})
    fan.refresh_from_db()
    assert fan.email_verified_at is not None
    assert mailoutbox == []


def test_it_needs_the_current_password(client, fan, mailoutbox, committed):
    client.force_login(fan)
    response = committed(client, {"email": "thief@example.com", "password": "guess"})
    assert response.status_code == 400
    assert "That is not your current password." in response.content.decode()
    fan.refresh_from_db()
    assert fan.email == "fan@example.com"
    assert mailoutbox == []


def test_it_refuses_get(client, fan):
    client.force_login(fan)
    assert client.get(CHANGE).status_code == 405


def test_it_requires_login(client):
    response = client.post(CHANGE, {"email": "x@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
