"""Confirming an e-mail address: the signed link, its page, and sending it again."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from apps.accounts.verification import SALT, make_token

pytestmark = pytest.mark.django_db

SEND = reverse("accounts:verify-send")


@pytest.fixture
def unverified(fan):
    fan.email_verified_at = None
    fan.save()
    return fan


def verify_url(user, email=None):
    token = make_token(user_id=user.pk, email=email or user.email)
    return reverse("accounts:verify-email", kwargs={"token": token})


def test_following_the_link_confirms_the_address(client, unverified):
    url = verify_url(unverified)
    page = client.get(url)
    assert page.status_code == 200
    assert "fan@example.com" in page.content.decode()
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None  # a GET (a mail scanner) changes nothing

    response = client.post(url)
    assert response["Location"] == reverse("accounts:login")
    unverified.refresh_from_db()
    assert unverified.email_verified_at is not None


def test_a_signed_in_fan_goes_back_to_the_settings(client, unverified):
    client.force_login(unverified)
    response = client.post(verify_url(unverified))
    assert response["Location"] == reverse("accounts:settings")


def test_a_link_for_an_old_address_confirms_nothing(client, unverified):
    url = verify_url(unverified, email="old@example.com")
    assert client.post(url).status_code == 400
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_a_tampered_link_confirms_nothing(client, unverified):
    token = make_token(user_id=unverified.pk, email=unverified.email)
    response = client.get(reverse("accounts:verify-email", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_an_expired_link_confirms_nothing(client, unverified, settings):
    settings.EMAIL_VERIFICATION_MAX_AGE = timedelta(seconds=-1)
    response = client.post(verify_url(unverified))
    assert response.status_code == 400
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_a_token_signed_for_something_else_is_refused(client, unverified):
    token = signing.dumps({"user": unverified.pk, "email": unverified.email}, salt="other")
    assert client.post(reverse("accounts:verify-email", kwargs={"token": token})).status_code == 400
    token = signing.dumps(["not", "a", "claim"], salt=SALT)
    assert client.post(reverse("accounts:verify-email", kwargs={"token": token})).status_code == 400


def test_send_again_mails_a_working_link(
    client, unverified, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://wiki.example.org"
    client.force_login(unverified)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND)
    assert response["Location"] == reverse("accounts:settings")
    [mail] = mailoutbox
    assert mail.to == ["fan@example.com"]
    [link] = re.findall(r"https://wiki\.example\.org/accounts/verify/\S+", mail.body)
    client.post(link.removeprefix("https://wiki.example.org"))
    unverified.refresh_from_db()
    assert unverified.email_verified_at is not None


def test_send_again_waits_a_minute(
    client, unverified, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(unverified)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SEND)
        response = client.post(SEND, follow=True)
    assert len(mailoutbox) == 1
    assert "less than a minute ago" in response.content.decode()


def test_send_again_refuses_get(client, unverified):
    client.force_login(unverified)
    assert client.get(SEND).status_code == 405


def test_send_again_requires_login(client):
    response = client.post(SEND)
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_confirmed_address_is_not_mailed_again(
    client, fan, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(fan)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SEND)
    assert mailoutbox == []


def test_an_address_confirmed_by_one_account_cannot_be_confirmed_by_another(
    client, fan, unverified_twin
):
    """Addresses were not unique: another account could claim (and confirm) a fan's."""
    response = client.post(verify_url(unverified_twin), follow=True)
    assert "already confirmed for another account" in response.content.decode()
    unverified_twin.refresh_from_db()
    assert unverified_twin.email_verified_at is None
    fan.refresh_from_db()
    assert fan.email_verified_at is not None


def test_the_database_refuses_a_second_confirmation_of_one_address(fan, unverified_twin):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from apps.accounts.models import User

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=unverified_twin.pk).update(email_verified_at=timezone.now())


@pytest.fixture
def unverified_twin(fan):
    from tests.factories import make_user

    twin = make_user("twin")
    twin.email, twin.email_verified_at = fan.email.upper(), None
    twin.save()
    return twin
