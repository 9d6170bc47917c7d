"""Limits hold across app servers: two real server processes share one Redis and one database."""

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
import redis

from tests import factories
from tests.workers import database_url, free_port, redis_is_up, wait_until_up

REDIS = "redis://127.0.0.1:6379/13"

pytestmark = pytest.mark.django_db  # the servers read the test database (its tables)


@pytest.fixture
def servers(tmp_path):
    if not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not answering on 127.0.0.1:6379; .ci/run should start it.")
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    redis.Redis.from_url(REDIS).flushdb()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fanwiki.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS,
        "RATELIMIT_SEARCH": "3/m",
        "PAGE_CACHE_SECONDS": "0",
        "FANWIKI_VAR_DIR": str(tmp_path / "var"),
    }
    processes, urls = [], []
    for n in range(2):
        port, log = free_port(), tmp_path / f"server{n}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "fanwiki.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=environment,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        urls.append(f"http://127.0.0.1:{port}")
        wait_until_up(f"{urls[-1]}/healthz", process, log)
    yield urls
    for process in processes:
        process.terminate()
        process.wait(timeout=20)
    redis.Redis.from_url(REDIS).flushdb()


def get(url: str, **headers: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_two_servers_count_one_limit(servers):
    first, second = servers
    answers = [
        get(f"{server}/search/?q=kiss", **{"X-Forwarded-For": f"198.51.100.{n}"})
        for n, server in enumerate([first, second, first, second, first])
    ]
    assert [status for status, _headers in answers] == [200, 200, 200, 429, 429]
    assert 1 <= int(answers[3][1]["Retry-After"]) <= 60


class Browser:
    """A client with its own cookies, as a browser talking to one server would have."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def log_in(self, server: str, username: str, password: str) -> tuple[int, str]:
        with self.opener.open(f"{server}/accounts/login/", timeout=10) as page:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        ).encode()
        request = urllib.request.Request(
            f"{server}/accounts/login/", data=data, headers={"Referer": f"{server}/"}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_lockout_on_one_server_holds_on_the_other(servers, settings):
    first, second = servers
    factories.make_user("fan")
    answers = [
        Browser().log_in(server, "fan", "wrong-password")
        for server in [first, second] * (settings.AXES_FAILURE_LIMIT // 2 + 1)
    ]
    assert answers[0][0] == 200  # the form again, with its message
    status, page = Browser().log_in(second, "fan", factories.PASSWORD)
    assert status == 429
    assert "Too many failed log-ins" in page
