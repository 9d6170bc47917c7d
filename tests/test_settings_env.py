"""Production settings refuse to start without a real secret and host list."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SITE_URL"}
    }
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import fanwiki.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "set SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "set SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "set ALLOWED_HOSTS"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "w.example"}, "set SITE_URL"),
        ({"SITE_URL": "wiki.example"}, "SITE_URL must be a scheme and a host"),
        ({"SITE_URL": "https://wiki.example/path/"}, "SITE_URL must be a scheme and a host"),
        ({"SITE_URL": "ftp://wiki.example"}, "SITE_URL must be a scheme and a host"),
        ({"SITE_URL": "https://wiki.example/?x=1"}, "no query"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_it_refuses_to_start(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_starts_with_real_settings():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="wiki.example",
        SITE_URL="https://wiki.example/",
    )
    assert result.returncode == 0, result.stderr


def test_site_url_keeps_scheme_host_and_port_only():
    result = subprocess.run(
        [sys.executable, "-c", "import fanwiki.settings as s; print(s.SITE_URL)"],
        cwd=ROOT,
        env={**os.environ, "SITE_URL": "HTTPS://Wiki.example:8443/"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "https://Wiki.example:8443"


def test_database_url_switches_to_postgresql():
    result = load_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/db")
    assert result.stdout.strip() == "django.db.backends.postgresql"
