"""Friendly error pages: 404, 403, 400 and 429 in the site's layout; 500 without a database."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_friendly_404(client):
    response = client.get("/wiki/no-such-article/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page here" in page
    assert reverse("wiki:search") in page


def test_a_refusal_is_a_friendly_403(client, fan):
    client.force_login(fan)
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 403
    assert "You cannot do that here" in response.content.decode()


def test_the_500_page_renders_without_a_request_or_the_database():
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        response = defaults.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "Reload the page in a moment" in page
    assert len(queries) == 0


@pytest.mark.parametrize(
    ("template", "text"),
    [("400.html", "could not be understood"), ("429.html", "Slow down a little")],
)
def test_the_other_error_pages_render(rf, template, text):
    request = rf.get("/")
    request.user = AnonymousUser()
    assert text in render_to_string(template, {"retry_after": 30}, request=request)


def test_the_favicon_points_at_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/images/favicon.svg"
