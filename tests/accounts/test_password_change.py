import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password-change")
NEW_PASSWORD = "a-brand-new-passphrase"


def test_it_changes_the_password_and_keeps_the_fan_logged_in(client, fan):
    client.force_login(fan)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password-change-done")
    fan.refresh_from_db()
    assert fan.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_it_needs_the_current_password(client, fan):
    client.force_login(fan)
    response = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    fan.refresh_from_db()
    assert fan.check_password(PASSWORD)


def test_it_requires_login(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_settings_page_links_to_it(client, fan):
    client.force_login(fan)
    assert CHANGE in client.get(reverse("accounts:settings")).content.decode()
