"""notify() and notify_many(): a stored message, and an e-mail once the caller commits."""

import logging

import pytest

from apps.accounts.models import NotificationEmail
from apps.notifications import preferences
from apps.notifications.models import Notification
from apps.notifications.services import notify, notify_many
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the callable, then what it queued for after the commit (the e-mail tasks)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def test_it_stores_the_notification(fan):
    notify(fan, message="Your proposal was approved.\nEdit summary: typo", url="/wiki/x/")
    notification = Notification.objects.get()
    assert notification.user == fan
    assert notification.url == "/wiki/x/"
    assert notification.read_at is None
    assert notification.subject == "Your proposal was approved."
    assert notification.details == "Edit summary: typo"


def test_nothing_is_emailed_before_the_callers_transaction_commits(fan, mailoutbox):
    notify(fan, message="Not yet", url="/wiki/x/")
    assert Notification.objects.filter(user=fan).count() == 1
    assert mailoutbox == []


def test_it_emails_the_first_line_as_subject(fan, mailoutbox, settings, committed):
    settings.DEFAULT_FROM_EMAIL = "wiki@example.org"
    committed(
        notify, fan, message="Your proposal was approved.\nEdit summary: typo", url="/wiki/x/"
    )
    [mail] = mailoutbox
    assert mail.subject == "Your proposal was approved."
    assert mail.to == ["fan@example.com"]
    assert mail.from_email == "wiki@example.org"
    assert "Edit summary: typo" in mail.body


@pytest.mark.parametrize("breaker", ["\r", "\x0b", "\x1c", "\x85", "\u2028", "\x1b[2J"])
def test_a_title_stored_with_a_line_break_still_gets_its_mail_out(
    fan, mailoutbox, committed, breaker
):
    """A carriage return in a title (stored before titles refused them, or by the admin)
    made every mail about it fail with BadHeaderError, never retried."""
    message = f"New trivia about “Casino{breaker}Night”\nRead it on the wiki."
    committed(notify, fan, message=message, url="/wiki/x/")
    [mail] = mailoutbox
    assert mail.subject.startswith("New trivia about “Casino")
    assert not any(char in mail.subject for char in "\r\n\x0b\x1c\x85\u2028\x1b")
    assert mail.message()["Subject"]  # a header Python's mail package accepts


def test_the_email_links_to_the_site_with_an_absolute_url(fan, mailoutbox, settings, committed):
    settings.SITE_URL = "https://wiki.example.org"
    committed(notify, fan, message="Approved", url="/wiki/x/?from=3#cite-note-1")
    [mail] = mailoutbox
    assert mail.body == "Approved\n\nhttps://wiki.example.org/wiki/x/?from=3#cite-note-1\n"


def test_an_email_carries_no_link_that_is_not_on_the_site(fan, mailoutbox, settings, committed):
    settings.SITE_URL = "https://wiki.example.org"
    committed(notify, fan, message="Odd", url="//evil.example/")
    [mail] = mailoutbox
    assert mail.body == "Odd\n"


def test_it_does_not_email_when_asked_not_to(fan, mailoutbox, committed):
    committed(notify, fan, message="Quiet", url="/", email=False)
    assert Notification.objects.filter(user=fan).count() == 1
    assert mailoutbox == []


def test_it_does_not_email_a_user_without_an_address(fan, mailoutbox, committed):
    fan.email = ""
    fan.save()
    committed(notify, fan, message="Stored only", url="/")
    assert Notification.objects.filter(user=fan).count() == 1
    assert mailoutbox == []


def test_a_failing_mail_server_is_retried_and_logged_and_fails_no_caller(
    fan, settings, committed, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    with caplog.at_level(logging.WARNING, logger="apps.notifications.tasks"):
        committed(notify, fan, message="Still stored", url="/")
    assert Notification.objects.filter(user=fan, message="Still stored").exists()
    tries = [r for r in caplog.records if r.name == "apps.notifications.tasks"]
    # Six tries (run at once here; a worker waits longer and longer between them),
    # the last one an error.
    assert [r.levelname for r in tries] == ["WARNING"] * 5 + ["ERROR"]
    assert "try 6 of 6" in tries[-1].getMessage()


def test_notify_many_inserts_once(
    fan, author, django_assert_num_queries, mailoutbox, django_capture_on_commit_callbacks
):
    silent = factories.make_user("silent")
    silent.email = ""
    silent.save()
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(1):
        stored = notify_many([fan, author, silent], message="Changed", url="/wiki/x/")
    assert stored == 3
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "fan",
        "author",
        "silent",
    }
    assert sorted(mail.to[0] for mail in mailoutbox) == ["author@example.com", "fan@example.com"]


def test_only_paths_on_this_site_are_links(fan):
    assert notify(fan, message="m", url="/wiki/x/").link == "/wiki/x/"
    assert notify(fan, message="m", url="javascript:alert(1)").link == ""
    assert notify(fan, message="m", url="//evil.example/").link == ""


# --- the user's preferences -------------------------------------------------------------


@pytest.mark.parametrize(
    "choice",
    [
        {"notification_email": "none"},
        {"notification_email": "digest"},  # the digest tells them instead
        {"email_verified_at": None},  # an unconfirmed address may be a stranger's
    ],
    ids=["email-off", "digest", "unconfirmed"],
)
def test_it_stores_but_does_not_email(fan, mailoutbox, committed, choice):
    for field, value in choice.items():
        setattr(fan, field, value)
    fan.save()
    committed(notify, fan, message="Stored only", url="/")
    assert Notification.objects.filter(user=fan, read_at__isnull=True).count() == 1
    assert mailoutbox == []


def test_it_emails_a_fan_who_turned_the_site_off(fan, mailoutbox, committed):
    fan.notify_on_site = False
    fan.save()
    committed(notify, fan, message="By e-mail", url="/")
    assert Notification.objects.filter(user=fan).count() == 1
    assert [mail.subject for mail in mailoutbox] == ["By e-mail"]


def test_it_stores_nothing_for_a_fan_who_wants_nothing(fan, mailoutbox, committed):
    fan.notify_on_site = False
    fan.notification_email = "none"
    fan.save()
    assert committed(notify, fan, message="Nobody hears", url="/") is None
    assert not Notification.objects.filter(user=fan).exists()
    assert mailoutbox == []


def test_notify_many_follows_each_users_choice(
    fan, author, mailoutbox, django_capture_on_commit_callbacks
):
    digest = factories.make_user("digest")
    digest.notification_email = "digest"
    digest.save()
    nothing = factories.make_user("nothing")
    nothing.notify_on_site, nothing.notification_email = False, "none"
    nothing.save()
    with django_capture_on_commit_callbacks(execute=True):
        stored = notify_many([fan, author, digest, nothing], message="Changed", url="/wiki/x/")
    assert stored == 3
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "fan",
        "author",
        "digest",
    }
    assert sorted(mail.to[0] for mail in mailoutbox) == ["author@example.com", "fan@example.com"]


def test_the_preference_values_are_the_accounts_choices():
    assert {preferences.EMAIL_EACH, preferences.EMAIL_DIGEST, preferences.EMAIL_NONE} == set(
        NotificationEmail.values
    )
