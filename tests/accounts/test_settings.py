"""The account settings page and its notification preferences."""

import pytest
from django.urls import reverse

from apps.accounts.models import NotificationEmail

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")


def test_it_requires_login(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_the_account(client, fan):
    client.force_login(fan)
    page = client.get(SETTINGS).content.decode()
    assert "fan@example.com" in page
    assert "confirmed" in page
    assert reverse("accounts:password-change") in page
    assert 'name="notification_email" value="each"' in page


def test_it_saves_the_preferences(client, fan):
    client.force_login(fan)
    response = client.post(SETTINGS, {"notification_email": NotificationEmail.NONE})
    assert response["Location"] == SETTINGS
    fan.refresh_from_db()
    assert fan.notify_on_site is False  # an unticked box is not sent
    assert fan.notification_email == NotificationEmail.NONE
    assert fan.digest_sent_at is None


def test_choosing_the_digest_starts_it_now(client, fan):
    client.force_login(fan)
    client.post(SETTINGS, {"notify_on_site": "on", "notification_email": NotificationEmail.DIGEST})
    fan.refresh_from_db()
    assert fan.notify_on_site is True
    assert fan.notification_email == NotificationEmail.DIGEST
    started = fan.digest_sent_at
    assert started is not None
    # Saving again with the digest still chosen does not move its start.
    client.post(SETTINGS, {"notify_on_site": "on", "notification_email": NotificationEmail.DIGEST})
    fan.refresh_from_db()
    assert fan.digest_sent_at == started


def test_it_refuses_an_unknown_choice(client, fan):
    client.force_login(fan)
    response = client.post(SETTINGS, {"notification_email": "hourly"})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    fan.refresh_from_db()
    assert fan.notification_email == NotificationEmail.EACH


def test_an_unconfirmed_address_is_offered_a_new_link(client, fan):
    fan.email_verified_at = None
    fan.save()
    client.force_login(fan)
    page = client.get(SETTINGS).content.decode()
    assert "is not confirmed yet" in page
    assert reverse("accounts:verify-send") in page
