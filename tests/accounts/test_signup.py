import pytest
from django.urls import reverse

from apps.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_up_and_logs_in(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
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
    assert user.email == "newfan@example.com"
    assert user.email_verified_at is None
    assert not user.is_staff
    assert client.get(reverse("wiki:contributions")).status_code == 200
    [mail] = mailoutbox
    assert mail.to == ["newfan@example.com"]
    assert "/accounts/verify/" in mail.body


def test_it_asks_for_an_email_address(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newfan",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert 'id="id_email"' in response.content.decode()
    assert not User.objects.filter(username="newfan").exists()


def test_a_signed_in_fan_is_pointed_to_the_settings(client, fan):
    client.force_login(fan)
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    assert reverse("accounts:settings") in response.content.decode()
    assert 'id="id_password1"' not in response.content.decode()


def test_the_navigation_links_to_the_settings_when_signed_in(client, fan):
    assert reverse("accounts:settings") not in client.get(reverse("home")).content.decode()
    client.force_login(fan)
    assert reverse("accounts:settings") in client.get(reverse("home")).content.decode()


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
            "email": "newfan@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response["Location"] == reverse("home")


def test_log_in_and_out(client, fan):
    assert (
        reverse("accounts:password-reset") in client.get(reverse("accounts:login")).content.decode()
    )
    response = client.post(reverse("accounts:login"), {"username": "fan", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(fan.pk)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "name",
    ["demo-f\u0430n", "\u0440aypal-fan", "f\u0430n"],  # a Cyrillic а / р among Latin letters
)
def test_a_name_that_passes_for_another_is_refused(client, name):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": name,
            "email": "someone@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "in one alphabet" in response.content.decode()
    assert response.context["form"]["username"].value() == name
    assert not User.objects.filter(email="someone@example.com").exists()


@pytest.mark.parametrize("name", ["Zoë", "Дмитрий", "raúl_99", "山田"])
def test_names_in_one_alphabet_are_welcome(client, name):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": name,
            "email": "someone@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username=name).exists()
