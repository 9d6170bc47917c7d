"""Failed log-ins lock an account out from an address (django-axes), on the site and the admin."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


def attempt(client, url, username, password, ip="198.51.100.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def hammer(client, url, username, times=30, ip="198.51.100.7"):
    for _ in range(times):
        attempt(client, url, username, "wrong-password", ip=ip)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_many_wrong_ones(client, fan):
    hammer(client, LOGIN, "fan")
    response = attempt(client, LOGIN, "fan", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins" in page
    assert "Try again in 15 minutes" in page
    assert reverse("accounts:password-reset") in page
    assert response["Retry-After"] == str(15 * 60)
    assert not logged_in(client)


def test_a_few_typos_do_not_lock(client, fan, settings):
    hammer(client, LOGIN, "fan", times=settings.AXES_FAILURE_LIMIT - 1)
    assert attempt(client, LOGIN, "fan", PASSWORD).status_code == 302
    assert logged_in(client)
    # A success clears the count: the next typos start again from nothing.
    client.logout()
    hammer(client, LOGIN, "fan", times=settings.AXES_FAILURE_LIMIT - 1)
    assert attempt(client, LOGIN, "fan", PASSWORD).status_code == 302


def test_the_admin_log_in_is_locked_too(client, staff):
    hammer(client, ADMIN_LOGIN, "staff")
    response = attempt(client, ADMIN_LOGIN, "staff", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert not logged_in(client)


def test_another_user_from_the_same_address_is_not_locked(client, fan, author):
    hammer(client, LOGIN, "fan")
    assert attempt(client, LOGIN, "author", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_same_user_from_another_address_is_not_locked(client, fan):
    hammer(client, LOGIN, "fan", ip="198.51.100.7")
    assert attempt(client, LOGIN, "fan", PASSWORD, ip="203.0.113.9").status_code == 302


def test_a_forwarded_header_does_not_change_the_address_counted(client, fan):
    for number in range(30):
        client.post(
            LOGIN,
            {"username": "fan", "password": "wrong"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    assert attempt(client, LOGIN, "fan", PASSWORD).status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, fan, settings):
    hammer(client, LOGIN, "fan")
    assert attempt(client, LOGIN, "fan", PASSWORD).status_code == 429
    # As if the cool-off had passed since the last failure.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert attempt(client, LOGIN, "fan", PASSWORD).status_code == 302
    assert logged_in(client)


def test_staff_lift_a_lock_in_the_admin(client, fan, staff):
    hammer(client, LOGIN, "fan")
    locked = AccessAttempt.objects.get(username="fan")

    staff_browser = Client()
    staff_browser.force_login(staff)
    changelist = staff_browser.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "198.51.100.7" in changelist.content.decode()
    response = staff_browser.post(
        reverse("admin:axes_accessattempt_delete", args=[locked.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt(client, LOGIN, "fan", PASSWORD).status_code == 302


def test_staff_lift_a_lock_with_the_command(client, fan):
    hammer(client, LOGIN, "fan")
    call_command("axes_reset_username", "fan")
    assert attempt(client, LOGIN, "fan", PASSWORD).status_code == 302


def test_a_fan_cannot_see_the_attempts(client, fan):
    client.force_login(fan)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302  # to the admin's log-in
