"""POST /notifications/read/: mark all, or one, of the user's notifications read."""

import pytest
from django.urls import reverse

from apps.notifications.models import Notification
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db

URL = reverse("notifications:read")


def test_it_marks_all_unread_as_read(client, fan, author):
    first = notify(fan, message="One", url="/", email=False)
    second = notify(fan, message="Two", url="/", email=False)
    others = notify(author, message="Someone else's", url="/", email=False)
    client.force_login(fan)
    response = client.post(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    for notification in (first, second, others):
        notification.refresh_from_db()
    assert first.read_at is not None and second.read_at is not None
    assert others.read_at is None


def test_it_marks_one_by_id(client, fan):
    first = notify(fan, message="One", url="/", email=False)
    second = notify(fan, message="Two", url="/", email=False)
    client.force_login(fan)
    client.post(URL, {"id": first.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_it_keeps_the_first_read_time(client, fan):
    notification = notify(fan, message="One", url="/", email=False)
    client.force_login(fan)
    client.post(URL)
    notification.refresh_from_db()
    read_at = notification.read_at
    client.post(URL, {"id": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_it_cannot_mark_someone_elses(client, fan, author):
    others = notify(author, message="Not yours", url="/", email=False)
    client.force_login(fan)
    response = client.post(URL, {"id": others.pk})
    assert response.status_code == 302
    others.refresh_from_db()
    assert others.read_at is None


def test_a_malformed_id_is_400(client, fan):
    notification = notify(fan, message="One", url="/", email=False)
    client.force_login(fan)
    for bad in ("abc", "-1", "1e3", "9" * 40, "1\x00"):
        assert client.post(URL, {"id": bad}).status_code == 400
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_rejects_get(client, fan):
    notification = notify(fan, message="One", url="/", email=False)
    client.force_login(fan)
    assert client.get(URL).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_requires_login(client, fan):
    notify(fan, message="One", url="/", email=False)
    response = client.post(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Notification.objects.unread().count() == 1
