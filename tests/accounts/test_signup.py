import pytest
from django.urls import reverse

from apps.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_up_and_logs_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newfan",
            "email": "newfan@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newfan")
    assert user.check_password("a-long-unusual-passphrase")
    assert not user.is_staff
    assert client.get(reverse("wiki:contributions")).status_code == 200


def test_it_keeps_what_was_typed_on_error(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "newfan", "email": "x@example.com", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    assert 'value="newfan"' in response.content.decode()
    assert not User.objects.filter(username="newfan").exists()


def test_it_ignores_an_offsite_next(client):
    response = client.post(
        reverse("accounts:signup") + "?next=https://evil.example/",
        {
            "username": "newfan",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response["Location"] == reverse("home")


def test_log_in_and_out(client, fan):
    response = client.post(reverse("accounts:login"), {"username": "fan", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(fan.pk)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
