"""The admin lists notifications for staff, read-only."""

import pytest
from django.urls import reverse

from apps.notifications.models import Notification
from apps.notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_see_the_list(client, staff, fan):
    notify(fan, message="Your proposal was approved.", url="/wiki/x/", email=False)
    client.force_login(staff)
    response = client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 200
    assert "Your proposal was approved." in response.content.decode()


def test_staff_cannot_add_or_change(client, staff, fan):
    notification = notify(fan, message="Fixed text", url="/", email=False)
    client.force_login(staff)
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    change = reverse("admin:notifications_notification_change", args=[notification.pk])
    client.post(change, {"message": "Rewritten", "url": "/", "user": fan.pk})
    notification.refresh_from_db()
    assert notification.message == "Fixed text"


def test_deleting_a_user_takes_their_notifications(client, staff):
    leaving = factories.make_user("leaving")
    notify(leaving, message="Bye", url="/", email=False)
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_delete", args=[leaving.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Notification.objects.filter(message="Bye").exists()
