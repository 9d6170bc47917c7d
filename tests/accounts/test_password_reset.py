"""Password reset by e-mail: Django's views, the site's pages, links from SITE_URL."""

import re
import smtplib

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.tasks import send_password_reset
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password-reset")
NEW_PASSWORD = "a-brand-new-passphrase"


def ask(client, data, **extra):
    """Post the form, then run what it left for after the commit (the worker's task)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET, data, **extra)


def reset_link(mail):
    [link] = re.findall(r"https?://\S+", mail.body)
    return link


def test_the_log_in_page_links_to_it(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{RESET}"' in page
    assert "Forgot your password?" in page


def test_it_mails_a_link_that_works_once(client, fan, mailoutbox, settings):
    settings.SITE_URL = "https://wiki.example.org"
    response = ask(client, {"email": "fan@example.com"})
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
    ask(client, {"email": "fan@example.com"}, HTTP_HOST="evil.example")
    assert reset_link(mailoutbox[0]).startswith("https://wiki.example.org/")


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, fan, mailoutbox):
    known = ask(client, {"email": "fan@example.com"}, follow=True)
    unknown = ask(client, {"email": "nobody@example.com"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content.decode() == known.content.decode()
    assert [mail.to for mail in mailoutbox] == [["fan@example.com"]]


def test_resetting_the_password_lifts_a_lockout(client, fan, mailoutbox):
    for _ in range(30):
        client.post(reverse("accounts:login"), {"username": "fan", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="fan").exists()
    ask(client, {"email": "fan@example.com"})
    path = re.sub(r"^https?://[^/]+", "", reset_link(mailoutbox[0]))
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username="fan").exists()
    response = client.post(reverse("accounts:login"), {"username": "fan", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_weak_new_password_is_refused(client, fan, mailoutbox):
    ask(client, {"email": "fan@example.com"})
    path = re.sub(r"^https?://[^/]+", "", reset_link(mailoutbox[0]))
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert User.objects.get(pk=fan.pk).check_password(PASSWORD)


def test_the_page_does_the_same_work_for_a_known_and_an_unknown_address(client, fan, mailoutbox):
    """The mail used to be sent inside the request (379 ms against 12 ms behind a slow
    relay): the answer's time told who has an account. Now neither looks anything up."""
    answers = {}
    for address in ("fan@example.com", "nobody@example.com"):
        with (
            TestCase.captureOnCommitCallbacks() as queued,
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.post(RESET, {"email": address})
        answers[address] = (response.status_code, response["Location"], len(queued))
        assert not any("accounts_user" in query["sql"] for query in queries.captured_queries)
    assert answers["fan@example.com"] == answers["nobody@example.com"]
    assert answers["fan@example.com"][2] == 1  # one task queued, whoever asked
    assert mailoutbox == []  # nothing sent inside the request


def test_an_unconfirmed_address_is_never_mailed_a_link(client, fan, mailoutbox):
    """Anyone can sign up with a stranger's address; the wiki must not mail the stranger."""
    User.objects.filter(pk=fan.pk).update(email_verified_at=None)
    response = ask(client, {"email": "fan@example.com"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mailoutbox == []


def test_a_mail_server_failure_is_retried_not_dropped(fan, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the relay went away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    result = send_password_reset.apply(("fan@example.com",))
    assert result.state in ("RETRY", "FAILURE")
    assert isinstance(result.result, (smtplib.SMTPException, Exception))
