"""/healthz: 200 when the database and the cache answer, 503 naming the one that does not."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("healthz")


def test_it_answers_ok_without_a_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1, nothing else
        response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "Set-Cookie" not in response.headers
    assert "no-cache" in response["Cache-Control"]


def test_head_works_too(client):
    assert client.head(URL).status_code == 200


def test_it_rejects_post(client):
    assert client.post(URL).status_code == 405


def test_a_database_that_does_not_answer_is_a_503(client):
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "failing", "cache": "ok"},
    }


def test_a_cache_that_does_not_answer_is_a_503(client, settings):
    # A Redis cache on a port where nothing listens.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing"}


def test_it_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(URL).status_code == 200
    assert client.get(reverse("home")).status_code == 301


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_replica_that_does_not_answer_is_named_but_the_node_stays_in_rotation(
    client, settings, caplog
):
    from django.db import connections

    from fanwiki import routers

    settings.DATABASE_ROUTERS = [routers.ROUTER]
    assert client.get(URL).json()["checks"]["replica"] == "ok"

    replica = connections["replica"]
    saved = replica.settings_dict
    replica.close()
    replica.settings_dict = {**saved, "NAME": "/nonexistent/replica.sqlite3", "PORT": "9"}
    try:
        response = client.get(URL)
        assert response.status_code == 200  # reads go to the primary meanwhile
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "replica": "failing"},
        }
        assert "read replica unreachable" in caplog.text
    finally:
        replica.close()
        replica.settings_dict = saved
        routers.REPLICA_CIRCUIT.down_until = 0.0
