"""The daily digest: one mail per user who chose it, listing what is new since the last."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.notifications.digest import DIGEST_MAX_ITEMS, send_digests
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.notifications.tasks import send_digests as send_digests_task
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def digest_fan(fan):
    fan.notification_email = "digest"
    fan.digest_sent_at = timezone.now() - timedelta(days=1)
    fan.save()
    return fan


def age(notification, **delta):
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(**delta)
    )


def test_it_sends_one_mail_with_the_unread_news(digest_fan, mailoutbox, settings):
    settings.SITE_URL = "https://wiki.example.org"
    notify(digest_fan, message="Your proposal was approved.\nDetails", url="/wiki/a/")
    notify(digest_fan, message="An article you follow changed.", url="/wiki/b/")
    read = notify(digest_fan, message="Already read", url="/wiki/c/")
    read.read_at = timezone.now()
    read.save()
    before = notify(digest_fan, message="Before the last digest", url="/wiki/d/")
    age(before, days=2)

    assert send_digests() == 1
    [mail] = mailoutbox
    assert mail.to == ["fan@example.com"]
    assert mail.subject == "Fan wiki: 2 new notifications"
    assert "- Your proposal was approved.\n  https://wiki.example.org/wiki/a/" in mail.body
    assert "An article you follow changed." in mail.body
    assert "Already read" not in mail.body
    assert "Before the last digest" not in mail.body
    assert "https://wiki.example.org/accounts/settings/" in mail.body
    digest_fan.refresh_from_db()
    assert digest_fan.digest_sent_at > timezone.now() - timedelta(minutes=1)


def test_running_it_again_sends_nothing_twice(digest_fan, mailoutbox):
    notify(digest_fan, message="News", url="/")
    assert send_digests() == 1
    sent_at = type(digest_fan).objects.get(pk=digest_fan.pk).digest_sent_at
    notify(digest_fan, message="Later news", url="/")
    assert send_digests() == 0
    assert len(mailoutbox) == 1
    digest_fan.refresh_from_db()
    assert digest_fan.digest_sent_at == sent_at
    # The next day, only what came after the first digest.
    assert send_digests(now=timezone.now() + timedelta(days=1)) == 1
    assert "Later news" in mailoutbox[1].body
    assert "- News" not in mailoutbox[1].body


def test_nothing_new_means_no_mail_and_no_record(digest_fan, mailoutbox):
    before = digest_fan.digest_sent_at
    assert send_digests() == 0
    assert mailoutbox == []
    digest_fan.refresh_from_db()
    assert digest_fan.digest_sent_at == before


def test_only_users_who_chose_it_and_confirmed_their_address_get_one(digest_fan, mailoutbox):
    each = factories.make_user("each")
    unconfirmed = factories.make_user("unconfirmed")
    unconfirmed.notification_email = "digest"
    unconfirmed.email_verified_at = None
    unconfirmed.save()
    for user in (digest_fan, each, unconfirmed):
        notify(user, message="News", url="/", email=False)
    assert send_digests() == 1
    assert [mail.to for mail in mailoutbox] == [["fan@example.com"]]


def test_a_long_digest_lists_the_first_and_counts_the_rest(digest_fan, mailoutbox):
    for number in range(DIGEST_MAX_ITEMS + 3):
        notify(digest_fan, message=f"News {number}", url="/")
    send_digests()
    [mail] = mailoutbox
    assert "News 0\n" in mail.body
    assert f"News {DIGEST_MAX_ITEMS}\n" not in mail.body
    assert "… and 3 more." in mail.body


def test_a_failed_mail_is_sent_at_the_next_run(digest_fan, mailoutbox, settings):
    notify(digest_fan, message="News", url="/")
    before = digest_fan.digest_sent_at
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert send_digests() == 0
    digest_fan.refresh_from_db()
    assert digest_fan.digest_sent_at == before
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests() == 1


def test_the_command_and_the_task_send_them(digest_fan, mailoutbox):
    notify(digest_fan, message="News", url="/")
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "Sent 1 digest."
    notify(digest_fan, message="More", url="/")
    assert send_digests_task.delay().get() == 0  # already sent today
    assert len(mailoutbox) == 1
