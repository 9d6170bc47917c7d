"""The header's unread count (the context processor, and what base.html shows)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications.context_processors import unread
from apps.notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_shows_the_unread_count(client, fan):
    notify(fan, message="One", url="/", email=False)
    notify(fan, message="Two", url="/", email=False)
    read = notify(fan, message="Old", url="/", email=False)
    read.read_at = read.created_at
    read.save()
    client.force_login(fan)
    page = client.get(reverse("wiki:source-list")).content.decode()
    assert 'Notifications <span class="nav-count">(2' in page


def test_it_shows_no_count_when_all_are_read(client, fan):
    client.force_login(fan)
    page = client.get(reverse("wiki:source-list")).content.decode()
    assert ">Notifications</a>" in page


def test_readers_see_no_notifications_link(client):
    page = client.get(reverse("wiki:source-list")).content.decode()
    assert reverse("notifications:list") not in page


def test_it_is_lazy_and_counts_once(fan, author):
    request = RequestFactory().get("/")
    request.user = fan
    notify(fan, message="One", url="/", email=False)
    notify(author, message="Not the fan's", url="/", email=False)
    with CaptureQueriesContext(connection) as queries:
        count = unread(request)["unread_notifications"]
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert count() == 1
        assert count() == 1
    assert len(queries) == 1


def test_it_is_zero_for_readers(client):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert unread(request)["unread_notifications"]() == 0
    assert len(queries) == 0


def test_moderators_see_the_queue_length(client, article, moderator):
    factories.propose_edit(article, factories.make_user("one"))
    factories.propose_article(factories.make_user("two"), title="Another page")
    client.force_login(moderator)
    page = client.get(reverse("wiki:source-list")).content.decode()
    assert "Review queue (2)</a>" in page


def test_fans_see_no_queue(client, article, fan):
    factories.propose_edit(article, factories.make_user("one"))
    client.force_login(fan)
    page = client.get(reverse("wiki:source-list")).content.decode()
    assert "Review queue" not in page


def test_the_article_page_header_shows_the_whole_queue(client, article, moderator):
    factories.propose_edit(article, factories.make_user("one"))
    factories.propose_article(factories.make_user("two"), title="Another page")
    client.force_login(moderator)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Review queue (2)</a>" in page


def test_it_counts_nothing_for_a_fan_who_turned_the_site_off(client, fan):
    notify(fan, message="One", url="/", email=False)
    fan.notify_on_site = False
    fan.save()
    client.force_login(fan)
    page = client.get(reverse("wiki:source-list")).content.decode()
    assert "nav-count" not in page
