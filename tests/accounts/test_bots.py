"""The bot flag: staff mark an account a program runs; its edits are marked in recent
changes and the review queue, where they can be left out."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bot(db):
    account = factories.make_user("typo-bot")
    account.is_bot = True
    account.save()
    return account


def test_recent_changes_mark_bots_and_can_hide_them(client, article, bot, moderator):
    edit = factories.propose_edit(article, bot, body="Fixed a typo.")
    moderation.revision_approve(revision=edit, moderator=moderator)
    page = client.get(reverse("wiki:recent"))
    assert edit in page.context["page"].object_list
    assert 'class="badge badge-bot"' in page.content.decode()
    hidden = client.get(reverse("wiki:recent"), {"bots": "hide"})
    assert edit not in hidden.context["page"].object_list
    assert article.approved_revision in hidden.context["page"].object_list


def test_the_queue_marks_bots_and_filters_them(client, article, bot, author, moderator):
    from_bot = factories.propose_edit(article, bot, body="Bot text.")
    from_fan = factories.propose_edit(article, author, body="Fan text.")
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue"))
    rows = {row.pk: row for row in page.context["rows"]}
    assert rows[from_bot.pk].bot and not rows[from_fan.pk].bot
    assert "badge-bot" in page.content.decode()
    without = client.get(reverse("moderation:queue"), {"bots": "hide"}).context["rows"]
    assert [row.pk for row in without] == [from_fan.pk]
    only = client.get(reverse("moderation:queue"), {"bots": "only"}).context["rows"]
    assert [row.pk for row in only] == [from_bot.pk]


def test_staff_grant_the_flag_in_the_admin(client, fan):
    staff = factories.make_user("staffer", superuser=True)
    client.force_login(staff)
    change = reverse("admin:accounts_user_change", args=[fan.pk])
    page = client.get(change)
    assert 'name="is_bot"' in page.content.decode()
    assert (
        fan.username
        in client.get(
            reverse("admin:accounts_user_changelist"), {"is_bot__exact": "0"}
        ).content.decode()
    )
