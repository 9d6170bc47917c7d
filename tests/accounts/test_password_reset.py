"""Password reset by e-mail: Django's views, the site's pages, links from SITE_URL."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from apps.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password-reset")
NEW_PASSWORD = "a-brand-new-passphrase"


def reset_link(mail):
    [link] = re.findall(r"https?://\S+", mail.body)
    return link


def test_the_log_in_page_links_to_it(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{RESET}"' in page
    assert "Forgot your password?" in page


def test_it_mails_a_link_that_works_once(client, fan, mailoutbox, settings):
    settings.SITE_URL = "https://wiki.example.org"
    response = client.post(RESET, {"email": "fan@example.com"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    [mail] = mailoutbox
    assert mail.to == ["fan@example.com"]
    link = reset_link(mail)
    assert link.startswith("https://wiki.example.org/accounts/password-reset/")
    path = link.removeprefix("https://wiki.example.org")

    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password-reset-complete")
    fan.refresh_from_db()
    assert fan.check_password(NEW_PASSWORD)

    response = client.post(reverse("accounts:login"), {"username": "fan", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(fan.pk)
    client.logout()

    again = client.get(path, follow=True)
    assert "This link does not work" in again.content.decode()
    assert not again.context["validlink"]


def test_the_link_ignores_the_host_the_request_named(client, fan, mailoutbox, settings):
    settings.SITE_URL = "https://wiki.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    client.post(RESET, {"email": "fan@example.com"}, HTTP_HOST="evil.example")
    assert reset_link(mailoutbox[0]).startswith("https://wiki.example.org/")


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, fan, mailoutbox):
    known = client.post(RESET, {"email": "fan@example.com"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content.decode() == known.content.decode()
    assert [mail.to for mail in mailoutbox] == [["fan@example.com"]]


def test_resetting_the_password_lifts_a_lockout(client, fan, mailoutbox):
    for _ in range(30):
        client.post(reverse("accounts:login"), {"username": "fan", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="fan").exists()
    client.post(RESET, {"email": "fan@example.com"})
    path = re.sub(r"^https?://[^/]+", "", reset_link(mailoutbox[0]))
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username="fan").exists()
    response = client.post(reverse("accounts:login"), {"username": "fan", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_weak_new_password_is_refused(client, fan, mailoutbox):
    client.post(RESET, {"email": "fan@example.com"})
    path = re.sub(r"^https?://[^/]+", "", reset_link(mailoutbox[0]))
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert User.objects.get(pk=fan.pk).check_password(PASSWORD)
