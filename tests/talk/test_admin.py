"""The admin's "Hide selected posts" goes through the same service as the site."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from apps.talk import services
from apps.talk.models import TalkAction, TalkEvent
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:talk_post_changelist")


@pytest.fixture
def admin_moderator(db):
    return factories.make_user("staffmod", moderator=True, staff=True)


def hide(client, posts, **extra):
    data = {"action": "hide_selected", ACTION_CHECKBOX_NAME: [p.pk for p in posts], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_it_asks_for_a_reason_first(client, first_post, admin_moderator):
    client.force_login(admin_moderator)
    response = hide(client, [first_post])
    page = response.content.decode()
    assert 'name="reason"' in page and "Reason for hiding" in page
    response = hide(client, [first_post], apply="1", reason="  ")
    assert "Give a reason for hiding." in response.content.decode()
    first_post.refresh_from_db()
    assert not first_post.is_hidden and not TalkEvent.objects.exists()


def test_it_hides_through_the_service(client, topic, first_post, fan, admin_moderator):
    reply = services.post_reply(topic=topic, author=fan, body="Spam")
    client.force_login(admin_moderator)
    response = hide(client, [first_post, reply], apply="1", reason="Advertising.")
    assert "Hid 2 post(s)." in response.content.decode()
    for post in (first_post, reply):
        post.refresh_from_db()
        assert post.is_hidden and post.hidden_by == admin_moderator
    events = TalkEvent.objects.filter(action=TalkAction.HIDDEN, actor=admin_moderator)
    assert {e.post_id for e in events} == {first_post.pk, reply.pk}
    assert {e.reason for e in events} == {"Advertising."}


def test_an_already_hidden_post_is_reported(client, first_post, moderator, admin_moderator):
    services.post_hide(post=first_post, moderator=moderator, reason="First")
    client.force_login(admin_moderator)
    response = hide(client, [first_post], apply="1", reason="Second")
    assert "already hidden" in response.content.decode()
    assert TalkEvent.objects.count() == 1


def test_a_reason_with_nul_asks_again(client, first_post, admin_moderator):
    client.force_login(admin_moderator)
    response = hide(client, [first_post], apply="1", reason="Sp\x00am")
    assert "NUL" in response.content.decode()
    assert not TalkEvent.objects.exists()


def test_lists_mark_hidden_posts_and_records_are_read_only(client, first_post, moderator, staff):
    services.post_hide(post=first_post, moderator=moderator, reason="Rude")
    client.force_login(staff)
    page = client.get(CHANGELIST, {"hidden": "yes"}).content.decode()
    assert "Rude" in page
    assert client.get(reverse("admin:talk_topic_changelist")).status_code == 200
    events = reverse("admin:talk_talkevent_changelist")
    assert "Rude" in client.get(events).content.decode()
    event = TalkEvent.objects.get()
    assert client.get(reverse("admin:talk_talkevent_delete", args=[event.pk])).status_code == 403
    assert client.get(reverse("admin:talk_talkevent_add")).status_code == 403


def test_staff_moderators_find_talk_in_the_admin(client, admin_moderator):
    client.force_login(admin_moderator)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:talk_post_changelist") in page
