"""GET /notifications/: the signed-in user's notifications, newest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications.services import notify

pytestmark = pytest.mark.django_db

URL = reverse("notifications:list")


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_lists_own_notifications_newest_first(client, fan, author):
    notify(fan, message="First", url="/", email=False)
    notify(fan, message="Second", url="/", email=False)
    notify(author, message="Not for the fan", url="/", email=False)
    client.force_login(fan)
    response = client.get(URL)
    assert [n.message for n in response.context["page"].object_list] == ["Second", "First"]
    assert "Not for the fan" not in response.content.decode()


def test_it_paginates_by_50(client, fan):
    for number in range(51):
        notify(fan, message=f"Message {number}", url="/", email=False)
    client.force_login(fan)
    first = client.get(URL).context["page"]
    assert len(first.object_list) == 50
    second = client.get(URL, {"page": 2}).context["page"]
    assert [n.message for n in second.object_list] == ["Message 0"]


def test_it_rejects_post(client, fan):
    client.force_login(fan)
    assert client.post(URL).status_code == 405


def test_query_count_does_not_grow(client, fan, django_assert_num_queries):
    notify(fan, message="One", url="/", email=False)
    client.force_login(fan)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(30):
        notify(fan, message=f"More {number}", url="/", email=False)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 31


def test_it_says_when_the_site_is_turned_off(client, fan):
    fan.notify_on_site = False
    fan.save()
    client.force_login(fan)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "You turned notifications on the site off" in page
    assert reverse("accounts:settings") in page
