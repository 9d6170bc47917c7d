"""One log line per request, as JSON with LOG_FORMAT=json: id, user, path, status, duration."""

import io
import json
import logging

import pytest
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from fanwiki.observability import RequestContextFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the request logger writes, through the production JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("fanwiki.requests")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_a_signed_in_request_is_logged_with_its_user_and_id(client, fan, log_lines):
    client.force_login(fan)
    response = client.get(reverse("wiki:contributions"))
    [line] = log_lines()
    assert line["path"] == "/contributions/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["user_id"] == fan.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert isinstance(line["duration_ms"], float)
    assert line["levelname"] == "INFO"


def test_the_proxys_request_id_is_kept_and_a_bad_one_replaced(client, log_lines):
    client.get(reverse("healthz"), HTTP_X_REQUEST_ID="abc-123-def-456")
    client.get(reverse("healthz"), HTTP_X_REQUEST_ID="<script>")
    first, second = log_lines()
    assert first["request_id"] == "abc-123-def-456"
    assert second["request_id"] != "<script>" and len(second["request_id"]) == 32
    assert first["user_id"] is None  # /healthz never loads a user


def test_a_missing_page_is_logged_with_its_status(client, log_lines):
    client.get("/wiki/nothing-here/")
    [line] = log_lines()
    assert line["status"] == 404
